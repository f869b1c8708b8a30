/**
 * DataStore loading and querying, against baselines measured in the same run:
 *   npx tsx bench/datastore.ts [rows=1000000] [pgliteRows=200000]
 * PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres; a scratch database
 * is created and dropped): a generated CSV (';', decimal commas, d/m/yyyy dates, Vietnamese text) loaded
 * by the portal's loader (COPY of the file into a staging table, types in SQL, analyze, filter
 * indexes, swap: the time until the table is queryable) vs `psql \copy` of the same file into an
 * empty table; then, apart, the time until its full-text index (built after the swap) is ready;
 * peak RSS growth of this process while loading; then Records API queries (filter + sort + paging,
 * full text) p50/p95 through the app. BENCH_EXPLAIN=1 prints the plans of a filter + sort query and of a q;
 * BENCH_DB_PREFIX names the scratch database's prefix. PGlite: the same loader vs PGlite's own
 * COPY FROM '/dev/blob' of the whole file (its fastest raw path), then the same queries.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type DatabaseHandle, openDatabase, pgliteExtensions } from '../src/db/client.ts';
import { runMigrations } from '../src/db/migrate.ts';
import { LocalFileStorage } from '../src/storage/local-file-storage.ts';
import { buildDataset } from '../test/helpers/factories.ts';
import { insertResources } from '../src/modules/resources/resources.repository.ts';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/db/client.ts';
import { prepareQuery } from '../src/modules/datastore/datastore.query.ts';
import { liveTableOf, textRowOrderBound } from '../src/modules/datastore/datastore.records.ts';
import { recordsRequestOf } from '../src/modules/datastore/datastore.schemas.ts';

const rows = Number(process.argv[2] ?? 1_000_000);
const pgliteRows = Number(process.argv[3] ?? 200_000);
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const districts = ['Quy Nhơn', 'An Nhơn', 'Hoài Nhơn', 'Tây Sơn', 'Phù Cát', 'Phù Mỹ', 'Tuy Phước', 'Vĩnh Thạnh', 'Vân Canh', 'Hoài Ân', 'An Lão'];
const surnames = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Võ', 'Đặng', 'Bùi'];
const given = ['Thị Hồng Nhung', 'Văn Đức', 'Minh Khôi', 'Thị Ánh Tuyết', 'Quốc Việt', 'Ngọc Ánh', 'Hữu Phước'];
const header = ['Mã hồ sơ', 'Huyện', 'Họ và tên', 'Số tiền (đồng)', 'Tỷ lệ', 'Ngày cấp', 'Ghi chú'];
const types = ['integer', 'text', 'text', 'integer', 'number', 'date', 'text'] as const;

/**
 * BENCH_DECIMAL=point writes the number column with a decimal point, which PostgreSQL's COPY reads
 * as typed (the load copies straight into the table); by default decimal commas, which the load
 * stages and converts in SQL.
 */
const decimalPoint = process.env.BENCH_DECIMAL === 'point';

async function generate(file: string, count: number) {
  const out = createWriteStream(file);
  let chunk = `${header.join(';')}\n`;
  for (let i = 1; i <= count; i++) {
    const day = (i % 28) + 1;
    const month = (i % 12) + 1;
    const line = `${i};${districts[i % districts.length]};${surnames[i % 8]} ${given[i % 7]};${(i * 7919) % 5_000_000};${(i % 1000) / 8}`;
    chunk += decimalPoint ? line : line.replace(/\.(\d+)$/, ',$1');
    chunk += `;${day}/${month}/${2015 + (i % 10)};${i % 5 === 0 ? 'Hộ cận nghèo, đã xác minh' : ''}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** The first rows, as inspection would keep them: only the file's first 8 KB is read (a 1 GB file does not fit in one string). */
function previewOf(file: string) {
  const head = Buffer.alloc(8192);
  const descriptor = openSync(file, 'r');
  const length = readSync(descriptor, head, 0, head.length, 0);
  closeSync(descriptor);
  const lines = head.toString('utf8', 0, length).split('\n').slice(1, 21);
  return lines.map((line) => line.split(';'));
}

async function publishedResource(handle: DatabaseHandle, storage: LocalFileStorage, file: string, count: number) {
  const built = await buildDataset(handle.db, storage);
  const stored = await storage.put(`bench/${randomBytes(4).toString('hex')}/data.csv`, createReadStream(file));
  const [resource] = await insertResources(handle.db, [
    {
      revisionId: built.revision.id,
      name: 'bench',
      format: 'CSV',
      mediaType: 'text/csv',
      storageKey: stored.key,
      fileName: 'data.csv',
      sizeBytes: stored.sizeBytes,
      sha256: stored.sha256,
      rowCount: count,
      inspection: { columns: header.map((name, i) => ({ name, type: types[i] })), previewRows: previewOf(file), problems: [], wrongColumnCountTotal: 0, delimiter: ';' },
    },
  ]);
  return resource;
}

function watchRss() {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return () => {
    clearInterval(timer);
    return { startMb: start / 2 ** 20, growthMb: (Math.max(peak, process.memoryUsage().rss) - start) / 2 ** 20 };
  };
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];

async function queryTimes(app: Awaited<ReturnType<typeof buildApp>>, resourceId: string, count: number) {
  const kinds: Record<string, () => string> = {
    'filter+sort+page': () => `filter[huyen]=${encodeURIComponent(districts[Math.floor(Math.random() * districts.length)])}&filter[so_tien_dong][gte]=${Math.floor(Math.random() * 4_000_000)}&sort=ngay_cap%20desc,so_tien_dong&limit=100&offset=${Math.floor(Math.random() * 10) * 100}`,
    'keyset page': () => 'filter[ty_le][lt]=50&sort=so_tien_dong%20desc&limit=100',
    'full text q': () => `q=${encodeURIComponent(['nguyen thi hong', 'tay son', 'ho can ngheo', 'vinh thanh quoc'][Math.floor(Math.random() * 4)])}&limit=100`,
  };
  const results: Record<string, { p50: number; p95: number }> = {};
  for (const [kind, make] of Object.entries(kinds)) {
    const times: number[] = [];
    let after: string | undefined;
    for (let i = 0; i < count; i++) {
      const query = kind === 'keyset page' && after ? `${make()}&after=${after}` : make();
      const started = performance.now();
      const response = await app.inject({ method: 'GET', url: `/api/v1/resources/${resourceId}/records?${query}` });
      times.push(performance.now() - started);
      if (response.statusCode !== 200) throw new Error(`${kind}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      if (kind === 'keyset page') after = response.json().next_after;
    }
    results[kind] = { p50: percentile(times, 50), p95: percentile(times, 95) };
  }
  return results;
}

async function benchPlace(label: string, handle: DatabaseHandle, file: string, count: number, dataDir: string, baseline: () => Promise<number>) {
  const storage = new LocalFileStorage(path.join(dataDir, 'files'));
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: process.env.BENCH_LOG ?? 'silent', DATA_DIR: dataDir, SEED_DEMO: 'never', BASE_URL: 'http://127.0.0.1:3000' });
  const app = await buildApp({ config, database: handle, storage });
  const resource = await publishedResource(handle, storage, file, count);
  const baselineMs = await baseline();
  const stopWatch = watchRss();
  const started = performance.now();
  // The job's three steps timed apart: rows, statistics and the swap; then on the live table its
  // filter indexes, then its full-text index (a `q` answers 409 until it is there).
  const outcome = await app.datastoreLoader.load(resource.lineageId, undefined, { afterSwap: false });
  const queryableMs = performance.now() - started;
  await app.datastoreLoader.buildIndexes(resource.lineageId);
  const indexedMs = performance.now() - started;
  await app.datastoreLoader.buildFullText(resource.lineageId);
  const fullTextMs = performance.now() - started;
  const rss = stopWatch();
  if (outcome !== 'loaded') throw new Error(`${label}: load ${outcome}`);
  const queries = await queryTimes(app, resource.id, 200);
  if (process.env.BENCH_EXPLAIN) await explain(app, handle, resource.id);
  await app.close();
  const rate = (ms: number) => Math.round(count / (ms / 1000));
  const ratio = (ms: number) => `${(rate(ms) / rate(baselineMs)).toFixed(2)}×`;
  console.log(`\n${label}: ${count.toLocaleString('en')} rows, ${(statSync(file).size / 2 ** 20).toFixed(1)} MB, decimal ${decimalPoint ? 'points' : 'commas'}`);
  console.log(`  baseline                  ${(baselineMs / 1000).toFixed(2)} s  ${rate(baselineMs).toLocaleString('en')} rows/s`);
  console.log(
    `  loader, queryable (swap)  ${(queryableMs / 1000).toFixed(2)} s  ${rate(queryableMs).toLocaleString('en')} rows/s  ratio ${ratio(queryableMs)}  (target ≥ 0.5× on PostgreSQL; rows in, analyzed, swapped; filters scan until the indexes are built)`,
  );
  console.log(`  loader, filter indexes    ${(indexedMs / 1000).toFixed(2)} s after the start (+${((indexedMs - queryableMs) / 1000).toFixed(2)} s after the swap)  ratio ${ratio(indexedMs)}`);
  console.log(`  loader, full text ready   ${(fullTextMs / 1000).toFixed(2)} s after the start (+${((fullTextMs - indexedMs) / 1000).toFixed(2)} s after the indexes)  ratio ${ratio(fullTextMs)}`);
  console.log(`  RSS while loading   start ${rss.startMb.toFixed(0)} MB, peak growth ${rss.growthMb.toFixed(0)} MB  (target < 150 MB)`);
  // Measured once every index is built.
  for (const [kind, { p50, p95 }] of Object.entries(queries)) console.log(`  records ${kind.padEnd(17)} p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  (indexes ready)`);
}

/** BENCH_EXPLAIN=1: the plan of one filter + sort + page query, as the Records API sends it. */
async function explain(app: Awaited<ReturnType<typeof buildApp>>, handle: DatabaseHandle, resourceId: string) {
  const live = await liveTableOf(app.db, resourceId);
  const request = recordsRequestOf({ 'filter[huyen]': 'An Lão', 'filter[so_tien_dong][gte]': '3383001', sort: 'ngay_cap desc,so_tien_dong', limit: '100', offset: '900' });
  const prepared = prepareQuery(live.table.tableName, live.table.fields, request, live.table.fullText);
  const plan = rowsOf<{ 'QUERY PLAN': string }>(await handle.db.execute(sql`explain (analyze, buffers) ${prepared.select}`));
  console.log(plan.map((row) => row['QUERY PLAN']).join('\n'));
  // And a full-text q, whose common prefixes the planner tends to misjudge.
  const text = prepareQuery(live.table.tableName, live.table.fields, recordsRequestOf({ q: 'nguyen thi hong', limit: '100' }), live.table.fullText);
  const textPlan = rowsOf<{ 'QUERY PLAN': string }>(await handle.db.execute(sql`explain (analyze, buffers) ${text.select}`));
  console.log(textPlan.map((row) => row['QUERY PLAN']).join('\n'));
  // As the Records API reads it: along the row numbers, up to a bound, when its words are common.
  const textRequest = recordsRequestOf({ q: 'nguyen thi hong', limit: '100' });
  await handle.db.transaction(async (tx) => {
    const bound = await textRowOrderBound(tx, live.table, textRequest, text.keys);
    console.log(`row-order bound: ${bound ?? 'none (full-text index)'}`);
    if (bound === undefined) return;
    for (const setting of ['enable_bitmapscan = off', 'enable_seqscan = off']) await tx.execute(sql.raw(`set local ${setting}`));
    const bounded = prepareQuery(live.table.tableName, live.table.fields, textRequest, live.table.fullText, bound);
    const boundedPlan = rowsOf<{ 'QUERY PLAN': string }>(await tx.execute(sql`explain (analyze, buffers) ${bounded.select}`));
    console.log(boundedPlan.map((row) => row['QUERY PLAN']).join('\n'));
  });
}

async function main() {
  const work = await mkdtemp(path.join(os.tmpdir(), 'bench-datastore-'));
  try {
    const file = path.join(work, 'data.csv');
    let t = performance.now();
    await generate(file, rows);
    console.log(`generated ${rows.toLocaleString('en')} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // PostgreSQL server, in a scratch database.
    const name = `${process.env.BENCH_DB_PREFIX ?? ''}bench_datastore_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ dataDir: work, databaseUrl: url.toString() });
    try {
      t = performance.now();
      await runMigrations(handle);
      console.log(`migrated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      await benchPlace('PostgreSQL 127.0.0.1:5432', handle, file, rows, path.join(work, 'pg'), async () => {
        await handle.pool?.query(`create table bench_copy (ma text, huyen text, ho_ten text, so_tien text, ty_le text, ngay text, ghi_chu text)`);
        const started = performance.now();
        execFileSync('psql', [url.toString(), '-q', '-c', `\\copy bench_copy from '${file}' with (format csv, delimiter ';', header true)`]);
        return performance.now() - started;
      });
    } finally {
      await handle.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }

    // PGlite, in memory, with a smaller file.
    const small = path.join(work, 'small.csv');
    await generate(small, pgliteRows);
    const client = await PGlite.create({ extensions: pgliteExtensions });
    const embedded = await openDatabase({ dataDir: '', pglite: client });
    await runMigrations(embedded);
    await benchPlace('PGlite (in memory)', embedded, small, pgliteRows, path.join(work, 'pglite'), async () => {
      await client.exec(`create table bench_copy (ma text, huyen text, ho_ten text, so_tien text, ty_le text, ngay text, ghi_chu text)`);
      const started = performance.now();
      await client.query(`copy bench_copy from '/dev/blob' with (format csv, delimiter ';', header true)`, [], { blob: new Blob([readFileSync(small)]) });
      return performance.now() - started;
    });
    await embedded.close();
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
