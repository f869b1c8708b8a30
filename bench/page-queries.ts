/**
 * The statements one uncached page sends, with each one's time, on a data directory that
 * `bench/discovery.ts --keep` left (PGlite; or BENCH_DATABASE_URL for a kept server database): the
 * portal is built in this process (production, page cache off) and each path is requested once to warm
 * up, then again with every statement timed.
 *
 *   npx tsx bench/page-queries.ts DIR [path …]      (default: a dataset page, a search, a topic list, /)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { storageFromConfig } from '../src/storage/storage-from-config.ts';

const [dir, ...given] = process.argv.slice(2);
if (!dir) throw new Error('usage: npx tsx bench/page-queries.ts DIR [path …]');
const kept = JSON.parse(readFileSync(path.join(dir, 'bench-kept.json'), 'utf8')) as { place: { databaseUrl?: string }; loaded: { slugs: string[]; topicSlugs: string[] } };
Object.assign(process.env, {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  SEED_DEMO: 'never',
  BASE_URL: 'http://127.0.0.1:1',
  DATA_DIR: dir,
  DATABASE_URL: kept.place.databaseUrl ?? '',
  PAGE_CACHE_SECONDS: '0',
  MEILI_URL: '',
});
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
const log: Array<{ text: string; ms: number }> = [];
let recording = false;
// Every statement goes through the driver's query (PGlite) or the pool's (node-postgres): time it there.
const target = (database.pglite ?? database.pool) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
function timeQueries(target: Record<string, (...args: unknown[]) => Promise<unknown>>, methods: string[]) {
  for (const method of methods) {
  const original = target[method].bind(target);
  target[method] = async (...args: unknown[]) => {
    const started = performance.now();
    try {
      return await original(...args);
    } finally {
      const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text ?? '');
      if (recording) log.push({ text: text.replace(/\s+/g, ' ').slice(0, process.env.FULL ? 4000 : 140), ms: performance.now() - started });
    }
  };
  }
}
timeQueries(target, database.pglite ? ['query', 'exec'] : ['query']);
// A transaction on the server checks a client out of the pool: its statements go through that client.
database.pool?.on('connect', (client) => timeQueries(client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>, ['query']));
if (database.pglite) {
  // A transaction's statements go through the transaction object it hands to its callback.
  const pglite = database.pglite as unknown as { transaction: (work: (tx: unknown) => Promise<unknown>) => Promise<unknown> };
  const transaction = pglite.transaction.bind(pglite);
  pglite.transaction = (work) => transaction((tx) => {
    timeQueries(tx as Record<string, (...args: unknown[]) => Promise<unknown>>, ['query', 'exec']);
    return work(tx);
  });
}
const storage = await storageFromConfig(config);
const app = await buildApp({ config, database, storage });
await app.ready();
const paths = given.length > 0 ? given : [`/dataset/${kept.loaded.slugs[7]}`, '/dataset?q=gi%C3%A1o%20d%E1%BB%A5c', `/dataset?topic=${kept.loaded.topicSlugs[3]}`, '/'];
for (const url of paths) {
  for (let i = 0; i < 3; i++) await app.inject({ url });
  // One after another, as the bench's "alone" column: the page's own cost.
  const times: number[] = [];
  // This process's CPU time per request (user + system) depends much less than elapsed time on what
  // else the machine runs: the figure to compare between runs on a shared machine.
  const cpuAtStart = process.cpuUsage();
  // REPEAT=n for more (a CPU profile of the pages rather than of the start).
  for (let i = 0; i < Number(process.env.REPEAT ?? 20); i++) {
    const at = performance.now();
    await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    times.push(performance.now() - at);
  }
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuMs = (cpu.user + cpu.system) / 1000 / times.length;
  times.sort((a, b) => a - b);
  console.log(
    `\n${url}: ${times.length} requests one after another, median ${times[times.length >> 1].toFixed(1)} ms, min ${times[0].toFixed(1)} ms, ` +
      `CPU ${cpuMs.toFixed(2)} ms per request (≈ ${Math.round(1000 / cpuMs)} req/s per core)`,
  );
  log.length = 0;
  recording = true;
  const started = performance.now();
  const response = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
  const ms = performance.now() - started;
  recording = false;
  const inDb = log.reduce((sum, entry) => sum + entry.ms, 0);
  console.log(`\n### ${url}: ${response.statusCode}, ${ms.toFixed(1)} ms, ${log.length} statements, ${inDb.toFixed(1)} ms in them (overlapping when concurrent)`);
  for (const entry of log) console.log(`  ${entry.ms.toFixed(2).padStart(8)} ms  ${entry.text}`);
}
await app.close();
await database.close();
