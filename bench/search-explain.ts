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
import { watchSentStatements } from '../test/helpers/sent-statements.ts';

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

// The engine sends each statement of a search with its settings as one message straight to a session
// (PGlite's exec, a pooled connection's query without parameters); its first statement is prepared in
// the session once (`prepare NAME as …; settings; execute NAME(values)`) and then only executed. Capture
// those messages: their settings, and the statement or the prepared statement's name and values.
interface Message {
  settings: string[];
  sql: string;
  prepared?: { name: string; values: string };
}
const messages: Message[] = [];
const preparedText = new Map<string, string>();
function captureMessage(text: string) {
  const preparing = /^prepare (\w+) as ([\s\S]*?); (set local enable_seqscan[\s\S]*)$/.exec(text);
  if (preparing) preparedText.set(preparing[1], preparing[2]);
  const message = preparing ? preparing[3] : text;
  if (!message.startsWith(settingsPrefix)) return;
  const settings = message.match(/^(?:\s*set local [^;]+;)+/)?.[0] ?? '';
  const statement = message.slice(settings.length).trim();
  const executed = /^execute (\w+)(?:\(([\s\S]*)\))?$/.exec(statement);
  messages.push({
    settings: settings.split(';').map((part) => part.trim()).filter((part) => part.length > 0 && !part.includes('statement_timeout')),
    sql: executed ? (preparedText.get(executed[1]) ?? statement) : statement,
    prepared: executed ? { name: executed[1], values: executed[2] ?? '' } : undefined,
  });
}
const settingsPrefix = indexSettings(3_000).replace(/\d+; $/, '');
watchSentStatements(db, (args) => {
  if (typeof args[0] === 'string' && args.length === 1) captureMessage(args[0]);
});
const engine = createPostgresEngine(db, cold ? { broadEstimateTtlMs: 0 } : {});
/** The engine's prepared statements, prepared again under names of this tool's session. */
const preparedHere = new Set<string>();
for (const spec of specs.length > 0 ? specs : defaults) {
  const query = parse(spec);
  await engine.search(query);
  captured.length = 0;
  messages.length = 0;
  const started = performance.now();
  const result = await engine.search(query);
  const ms = performance.now() - started;
  const statements = [...captured.map((statement) => ({ settings: [] as string[], sql: statement.sql, params: statement.params, prepared: undefined as Message['prepared'] })), ...messages.map((message) => ({ ...message, params: [] as unknown[] }))];
  console.log(`\n### "${spec}": ${ms.toFixed(1)} ms, ${statements.length} statements, total ${result.total}${result.estimated ? ' (estimated)' : ''}${result.approximate ? ' (typo)' : ''}`);
  for (const statement of statements) {
    if (/^(begin|commit|rollback)/i.test(statement.sql.trim())) {
      console.log(`  ${statement.sql.trim()}`);
      continue;
    }
    const here = statement.prepared ? `explain_${statement.prepared.name}` : null;
    if (statement.prepared && here && !preparedHere.has(here)) {
      await run(`prepare ${here} as ${statement.sql}`, []);
      preparedHere.add(here);
    }
    await run('begin', []);
    try {
      for (const setting of statement.settings.length > 0 ? statement.settings : ['set local enable_seqscan = off', 'set local max_parallel_workers_per_gather = 0']) await run(setting, []);
      // Without --plans, per-node timing is off: on this machine's clock it inflates a plan's time several times over.
      const explained = statement.prepared && here ? `execute ${here}(${statement.prepared.values})` : statement.sql;
      const rows = await run(`explain (analyze, buffers${plans ? '' : ', timing off'}) ${explained}`, statement.params);
      const lines = rows.map((row) => String(Object.values(row)[0]));
      const time = lines.find((line) => line.startsWith('Execution Time')) ?? '';
      const buffers = (lines.find((line) => line.trim().startsWith('Buffers')) ?? '').trim();
      const planning = (lines.find((line) => line.startsWith('Planning Time')) ?? '').replace('Planning Time', 'plan');
      console.log(`  ${time.padEnd(28)} ${planning.padEnd(16)} ${buffers.padEnd(34)} ${statement.prepared ? '(prepared, generic plan) ' : ''}${statement.sql.replace(/\s+/g, ' ').slice(0, 100)}`);
      if (plans) console.log(lines.map((line) => `      ${line}`).join('\n'));
    } finally {
      await run('rollback', []);
    }
  }
}
await close();
