/**
 * Where a search's time goes, on a database that `bench/discovery.ts --keep` left (issue 16): for each
 * query given (or a built-in list of the bench's slowest kinds), the PostgreSQL engine's search() is
 * run once to warm up, then again with every statement it sends captured; each statement is then run
 * again by itself under EXPLAIN (ANALYZE, BUFFERS), in a transaction with the engine's settings. Prints
 * the round trips per search, each statement's execution time and, with --plans, its plan.
 *
 *   BENCH_DATABASE_URL=postgres://…/search_bench_xxx npx tsx bench/search-explain.ts [--plans] [--cold] ['query text' …]
 *   npx tsx bench/search-explain.ts --data-dir /tmp/portal-discovery-xxx [--plans] [...]   (PGlite)
 *
 * A query may carry facets and a sort after a `|`: 'giao duc|topic=giao-duc|sort=downloads|page=3'.
 */
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { type Database, pgliteExtensions } from '../src/db/client.ts';
import * as schema from '../src/db/schema.ts';
import { createPostgresEngine, indexSettings } from '../src/modules/search/postgres-engine.ts';
import type { SearchQuery } from '../src/modules/search/search.types.ts';

const defaults = [
  'y tế',
  'dân số',
  'giao duc',
  'doanh nghi',
  'du lcih',
  'giao duc|topic=giao-duc',
  'du lịch|sort=downloads',
  'Tây Sơn|sort=name|page=10',
  'An Nhơn quý 2',
  '|frequency=yearly|sort=updated',
  'lãi suất',
];

function parse(spec: string): SearchQuery {
  const [text, ...rest] = spec.split('|');
  const query: SearchQuery = { text, filters: {}, sort: text ? 'relevance' : 'updated', page: 1, pageSize: 20 };
  for (const part of rest) {
    const [key, value] = part.split('=');
    if (key === 'sort') query.sort = value as SearchQuery['sort'];
    else if (key === 'page') query.page = Number(value);
    else (query.filters as Record<string, string[]>)[key] = [value];
  }
  return query;
}

const args = process.argv.slice(2);
const plans = args.includes('--plans');
// --cold: without the engine's cache of broad estimates (the statements of a first search of those words).
const cold = args.includes('--cold');
const dataDirAt = args.indexOf('--data-dir');
const dataDir = dataDirAt >= 0 ? args[dataDirAt + 1] : undefined;
const specs = args.filter((arg, i) => !arg.startsWith('--') && !(dataDirAt >= 0 && i === dataDirAt + 1));

const captured: Array<{ sql: string; params: unknown[] }> = [];
const logger = { logQuery: (query: string, params: unknown[]) => captured.push({ sql: query, params }) };

let run: (text: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;
let db: Database;
let close: () => Promise<void>;
if (dataDir) {
  const client = await PGlite.create(path.join(dataDir, 'pglite'), { extensions: pgliteExtensions });
  db = drizzlePglite(client, { schema, logger }) as unknown as Database;
  run = async (text, params) => (await client.query<Record<string, unknown>>(text, params)).rows;
  close = () => client.close();
} else {
  const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: 2 });
  db = drizzleNodePg(pool, { schema, logger }) as unknown as Database;
  const client = await pool.connect();
  run = async (text, params) => (await client.query(text, params as unknown[])).rows;
  close = async () => {
    client.release();
    await pool.end();
  };
}

// The engine sends each statement of a search with its settings as one message straight to the client
// (pool.query without parameters, PGlite's exec): capture those too, without the settings.
const client = (db as unknown as { $client: Record<string, (...args: unknown[]) => Promise<unknown>> }).$client;
const settingsPrefix = indexSettings(3_000).replace(/\d+; $/, '');
for (const method of ['query', 'exec']) {
  const original = client[method]?.bind(client);
  if (!original) continue;
  client[method] = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith(settingsPrefix) && args.length === 1) captured.push({ sql: args[0].replace(/^.*?statement_timeout = \d+; /s, ''), params: [] });
    return original(...args);
  };
}
const engine = createPostgresEngine(db, cold ? { broadEstimateTtlMs: 0 } : {});
const settings = `select set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`;
for (const spec of specs.length > 0 ? specs : defaults) {
  const query = parse(spec);
  await engine.search(query);
  captured.length = 0;
  const started = performance.now();
  const result = await engine.search(query);
  const ms = performance.now() - started;
  const statements = [...captured];
  console.log(`\n### "${spec}": ${ms.toFixed(1)} ms, ${statements.length} statements, total ${result.total}${result.estimated ? ' (estimated)' : ''}${result.approximate ? ' (typo)' : ''}`);
  for (const statement of statements) {
    if (/^(begin|commit|rollback)/i.test(statement.sql.trim())) {
      console.log(`  ${statement.sql.trim()}`);
      continue;
    }
    await run('begin', []);
    try {
      await run(settings, []);
      // Without --plans, per-node timing is off: on this machine's clock it inflates a plan's time several times over.
      const rows = await run(`explain (analyze, buffers${plans ? '' : ', timing off'}) ${statement.sql}`, statement.params);
      const lines = rows.map((row) => String(Object.values(row)[0]));
      const time = lines.find((line) => line.startsWith('Execution Time')) ?? '';
      const buffers = (lines.find((line) => line.trim().startsWith("Buffers")) ?? "").trim();
      const planning = (lines.find((line) => line.startsWith('Planning Time')) ?? '').replace('Planning Time', 'plan');
      console.log(`  ${time.padEnd(28)} ${planning.padEnd(16)} ${buffers.padEnd(34)} ${statement.sql.replace(/\s+/g, ' ').slice(0, 100)}`);
      if (plans) console.log(lines.map((line) => `      ${line}`).join('\n'));
    } finally {
      await run('rollback', []);
    }
  }
}
await close();
