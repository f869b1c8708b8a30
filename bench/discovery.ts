/**
 * Discovery under load (issue: discovery, "Performance (bench, not tests)"). For each catalogue size:
 *   1. a fresh migrated database (PGlite data dir, or a new database on BENCH_DATABASE_URL) holding the
 *      demo topic groups and agencies and N published datasets generated with set-based SQL from the
 *      Bình Định catalogue titles × districts × years, one CSV resource each (all pointing at one real
 *      stored file, so downloads work), then the search index built by the real outbox indexer;
 *   2. the portal (src/server.ts, NODE_ENV=production so templates are cached) and a bare Fastify
 *      hello-world, each in a child process of its own, loaded by autocannon from this process at 50
 *      connections: hello world, `/`, `/dataset?q=…`, `/dataset/:slug` and `/dataset?topic=…`, first as
 *      configured by default (page cache on), then again with PAGE_CACHE_SECONDS=0 (every page rendered
 *      from the database: the pages' own cost); requests say `Accept-Encoding: gzip` as browsers do; a
 *      second baseline, bare Fastify sending the home page's bytes, shows what a page of that size costs
 *      any server;
 *   3. the PostgreSQL engine's search() called directly for ~300 varied queries (and Meilisearch's when
 *      MEILI_URL is set), p50/p95 per engine;
 * and once, before the sizes: the relevance set of test/modules/search against the demo catalogue (167
 * datasets), precision at 5 and the result count of each query, per engine.
 * Prints a summary and writes it as JSON to bench/out/discovery-<timestamp>.json.
 *
 *   npx tsx bench/discovery.ts [--sizes 10000,100000] [--seconds 10] [--queries 300] [--profile] [--no-pages]
 *
 * --no-pages skips the HTTP loads (search latency and relevance only: a quick look at the engine).
 * --only NAME[,NAME] loads only those pages (names as printed: /, bare, /dataset?q=…, /dataset/:slug,
 *   /dataset?topic=…; hello world always runs, the ratios need it); --cache on|off runs only the portal
 *   with the page cache as configured or with it off (default both); --no-search skips the search
 *   latency series. Together, a quick look at one page:
 *   `--reuse DIR --only /dataset/:slug --cache off --no-search`.
 * --profile runs the portal child with `node --cpu-prof` (profiles land in bench/out/profiles/);
 * --keep leaves each size's data directory (and server database) in place for EXPLAIN and says where.
 * --reuse DIR runs again on a directory --keep left (its size and database are read from it): no
 *   generation nor reindexing, which take minutes at 100k. Nothing reused is removed at the end.
 * --cold-estimates times the engine without its cache of broad matches' estimates (every search finds
 *   its candidates again), the worst case of a query nobody typed in the last minute.
 * Traffic goes to 127.0.0.1 only; temporary data directories (and the BENCH_DATABASE_URL database)
 * are removed at the end, also after a failure.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pg from 'pg';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(benchDir, '..');
const outDir = path.join(benchDir, 'out');

// ------------------------------------------------------------------------------------------------
// Child side: the bare Fastify hello-world server, or (given a file) bare Fastify sending that page.

async function runHelloChild(pageFile?: string) {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  if (pageFile) {
    // The ceiling for a page of that size: its bytes from memory, gzipped once as the page cache does.
    const body = readFileSync(pageFile);
    const gzipped = gzipSync(body);
    app.get('/', async (request, reply) => {
      reply.type('text/html; charset=utf-8');
      return /\bgzip\b/.test(request.headers['accept-encoding'] ?? '') ? reply.header('content-encoding', 'gzip').send(gzipped) : reply.send(body);
    });
  } else app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  process.send?.({ type: 'ready', port: address.port });
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
}

// ------------------------------------------------------------------------------------------------
// Options.

interface Options {
  sizes: number[];
  seconds: number;
  queries: number;
  profile: boolean;
  /** Keep each size's data directory (PGlite and files) for a closer look; prints where it is. */
  keep: boolean;
  /** Skip the HTTP loads. */
  pages: boolean;
  /** Only the pages of these names (e.g. `/dataset/:slug`), hello world always. */
  only?: string[];
  /** Page cache as configured ('on'), off ('off'), or both runs (default). */
  cache: 'on' | 'off' | 'both';
  /** Skip the search-latency series (a page-only look). */
  searchSeries: boolean;
  /** The engine's search() without its cache of broad estimates (each search finds its candidates). */
  coldEstimates: boolean;
  /** A data directory kept by --keep, measured again as it is (its size, place and slugs come from it). */
  reuse?: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { sizes: [10_000, 100_000], seconds: 10, queries: 300, profile: false, keep: false, pages: true, coldEstimates: false, cache: 'both', searchSeries: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--sizes') options.sizes = value().split(',').map((size) => Number(size.trim()));
    else if (arg === '--seconds') options.seconds = Number(value());
    else if (arg === '--queries') options.queries = Number(value());
    else if (arg === '--profile') options.profile = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--no-pages') options.pages = false;
    else if (arg === '--only') options.only = value().split(',').map((name) => name.trim());
    else if (arg === '--cache') {
      const cache = value();
      if (cache !== 'on' && cache !== 'off' && cache !== 'both') throw new Error('--cache takes on, off or both');
      options.cache = cache;
    } else if (arg === '--no-search') options.searchSeries = false;
    else if (arg === '--cold-estimates') options.coldEstimates = true;
    else if (arg === '--reuse') options.reuse = path.resolve(value());
    else throw new Error(`unknown option ${arg}\nusage: npx tsx bench/discovery.ts [--sizes 10000,100000] [--seconds 10] [--queries 300] [--profile] [--keep] [--reuse DIR] [--cold-estimates] [--no-pages] [--only /dataset/:slug,/] [--cache on|off|both] [--no-search]`);
  }
  if (options.reuse) options.sizes = [(JSON.parse(readFileSync(path.join(options.reuse, keptFile), 'utf8')) as Kept).size];
  if (options.sizes.some((size) => !Number.isInteger(size) || size < 1)) throw new Error('--sizes takes positive integers, e.g. 10000,100000');
  if (!(options.seconds >= 1)) throw new Error('--seconds takes a number ≥ 1');
  if (!(options.queries >= 10)) throw new Error('--queries takes a number ≥ 10');
  return options;
}

// ------------------------------------------------------------------------------------------------
// The database of one run.

type Modules = Awaited<ReturnType<typeof loadModules>>;

async function loadModules() {
  const [client, migrate, agencies, topics, demo, catalogueCsv, demoTables, slug, vietnam, storage, search, outbox, postgresEngine, meiliEngine, searchService, searchTypes, rng] =
    await Promise.all([
      import('../src/db/client.ts'),
      import('../src/db/migrate.ts'),
      import('../src/modules/agencies/agencies.repository.ts'),
      import('../src/modules/topics/topics.repository.ts'),
      import('../src/modules/demo/demo-catalogue.ts'),
      import('../src/modules/catalogue/catalogue-csv.ts'),
      import('../src/modules/demo/demo-tables.ts'),
      import('../src/lib/slug.ts'),
      import('../src/modules/demo/vietnam.ts'),
      import('../src/storage/local-file-storage.ts'),
      import('../src/modules/search/search.documents.ts'),
      import('../src/modules/search/search.outbox.ts'),
      import('../src/modules/search/postgres-engine.ts'),
      import('../src/modules/search/meili-engine.ts'),
      import('../src/modules/search/search.service.ts'),
      import('../src/modules/search/search.types.ts'),
      import('../src/modules/demo/rng.ts'),
    ]);
  return { client, migrate, agencies, topics, demo, catalogueCsv, demoTables, slug, vietnam, storage, search, outbox, postgresEngine, meiliEngine, searchService, searchTypes, rng };
}

type DatabaseHandle = Awaited<ReturnType<Modules['client']['openDatabase']>>;

/** Where one size's data lives: a temp dir (files, and PGlite unless a server is used), maybe a server database. */
interface Place {
  dataDir: string;
  databaseUrl?: string;
  serverDatabase?: string;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function createPlace(serverUrl: string | undefined): Promise<Place> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portal-discovery-'));
  if (!serverUrl) return { dataDir };
  // BENCH_DB_PREFIX: on a shared server, each person's bench databases carry their name.
  const name = `${process.env.BENCH_DB_PREFIX ?? 'portal_bench_'}${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  return { dataDir, databaseUrl: withDatabase(serverUrl, name), serverDatabase: name };
}

async function removePlace(place: Place, serverUrl: string | undefined) {
  await rm(place.dataDir, { recursive: true, force: true });
  if (serverUrl && place.serverDatabase) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists "${place.serverDatabase}" with (force)`);
    await admin.end();
  }
}

/** What --keep writes into a kept data directory, for --reuse. */
const keptFile = 'bench-kept.json';
interface Kept {
  size: number;
  place: Place;
  loaded: Loaded;
}

const openPlace = (m: Modules, place: Place) => m.client.openDatabase({ dataDir: place.dataDir, databaseUrl: place.databaseUrl });


async function timed<T>(label: string, work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  const seconds = (performance.now() - started) / 1000;
  console.log(`  ${label.padEnd(44)} ${seconds.toFixed(1)} s`);
  return { value, seconds };
}

interface Loaded {
  slugs: string[];
  topicSlugs: string[];
  agencySlugs: string[];
  download: { slug: string; resourceId: string; sizeBytes: number };
  seconds: { migrate: number; generate: number; index: number };
  indexMethod: string;
}

/**
 * Topics and agencies of the demo, one real stored CSV, then N datasets in a handful of
 * `insert … select … from generate_series` statements.
 */
async function loadCatalogue(m: Modules, database: DatabaseHandle, place: Place, size: number): Promise<Loaded> {
  const { db } = database;
  const migrate = await timed('migrate', () => m.migrate.runMigrations(database));

  const generate = await timed(`generate ${size.toLocaleString('en')} published datasets`, async () => {
    const topics = await m.topics.insertTopics(db, m.demo.demoTopics.map((topic) => ({ ...topic })));
    const agencies = await m.agencies.insertAgencies(db, m.demo.demoAgencies.map((agency) => ({ ...agency })));
    const topicId = new Map(topics.map((topic) => [topic.nameVi, topic.id]));
    const agencyId = new Map(agencies.map((agency) => [agency.name, agency.id]));

    const { entries, errors } = m.catalogueCsv.parseCatalogueCsv(readFileSync(path.join(rootDir, 'src/modules/demo/binh-dinh-catalogue.csv'), 'utf8'));
    if (errors.length > 0) throw new Error(`catalogue has errors: ${JSON.stringify(errors.slice(0, 3))}`);

    // One real file that every generated resource points at, so that downloads stream something.
    const table = m.demoTables.generateDemoTable(entries[0]);
    const storage = new m.storage.LocalFileStorage(path.join(place.dataDir, 'files'));
    const stored = await storage.put(`bench/${table.fileName}`, table.csv);

    const catalogue = entries.map((entry, k) => {
      const filled = m.demo.fillDemoEntry(entry);
      const id = (map: Map<string, string>, name: string) => {
        const found = map.get(name);
        if (!found) throw new Error(`demo metadata misses "${name}"`);
        return found;
      };
      return {
        k,
        title: entry.title,
        slug: m.slug.slugify(entry.title, 50),
        topic_id: id(topicId, entry.topicName),
        agency_id: id(agencyId, entry.agencyName),
        tags: filled.tags,
        frequency: filled.updateFrequency,
        // The generated description is 3–4 sentences; rows take 1–3 of them after one of their own.
        sentences: filled.description.split(/(?<=\.)\s+/),
      };
    });
    const districtRows = m.vietnam.districts.map((district, j) => ({
      j,
      name: district.name,
      full_name: m.vietnam.districtFullName(district),
      slug: district.slug,
      agency_id: agencyId.get(`UBND ${m.vietnam.districtFullName(district)}`) ?? null,
    }));

    await db.execute(sql`drop table if exists bench_catalogue, bench_districts, bench_gen`);
    await db.execute(sql`
      create table bench_catalogue as
      select * from json_to_recordset(${JSON.stringify(catalogue)}::json)
        as x(k int, title text, slug text, topic_id uuid, agency_id uuid, tags text[], frequency text, sentences text[])`);
    await db.execute(sql`
      create table bench_districts as
      select * from json_to_recordset(${JSON.stringify(districtRows)}::json)
        as x(j int, name text, full_name text, slug text, agency_id uuid)`);

    const nc = catalogue.length;
    const nd = districtRows.length;
    // Title = catalogue title × district × (quarter) × year: 167 × 11 × 5 × 11 ≈ 101k distinct titles.
    await db.execute(sql`
      create table bench_gen as
      select g.i,
        gen_random_uuid() as dataset_id,
        gen_random_uuid() as revision_id,
        c.k, c.title as base_title, c.topic_id, c.frequency, c.sentences,
        d.name as district, d.full_name, d.slug as district_slug,
        case when g.i % 4 = 0 and d.agency_id is not null then d.agency_id else c.agency_id end as agency_id,
        2014 + (g.i / (${nc * nd}) % 11) as year,
        (g.i / (${nc * nd * 11})) % 5 as quarter,
        c.tags || lower(d.name) as tags,
        c.slug as base_slug,
        now() - ((g.i::bigint * 7919) % (6 * 365 * 24 * 60)) * interval '1 minute' as published_at
      from generate_series(0, ${size - 1}) as g(i)
      join bench_catalogue c on c.k = g.i % ${nc}
      join bench_districts d on d.j = (g.i / ${nc}) % ${nd}`);

    await db.execute(sql`
      insert into datasets (id, slug, agency_id, first_published_at, created_at, updated_at)
      select dataset_id,
        base_slug || '-' || district_slug || case when quarter > 0 then '-quy-' || quarter else '' end || '-' || year || '-' || i,
        agency_id, published_at, published_at, published_at
      from bench_gen`);
    await db.execute(sql`
      insert into dataset_revisions (id, dataset_id, number, state, title, description, topic_id, update_frequency,
        tags, licence, spatial_coverage, temporal_coverage, first_publication_date, notes, created_at, updated_at, published_at)
      select revision_id, dataset_id, 1, 'published',
        base_title || ' ' || full_name || case when quarter > 0 then ' quý ' || quarter else '' end || ' năm ' || year,
        'Số liệu của ' || full_name || ', tỉnh Bình Định, năm ' || year || '. ' || array_to_string(sentences[1:(1 + i % 3)], ' '),
        topic_id, frequency, tags,
        case when i % 10 = 0 then 'CC BY 4.0' else '' end,
        full_name || ', tỉnh Bình Định', 'Năm ' || year, published_at::date, '',
        published_at, published_at, published_at
      from bench_gen`);
    await db.execute(sql`
      insert into resources (revision_id, position, name, description, format, media_type, storage_key, file_name, size_bytes, sha256, row_count, created_at)
      select revision_id, 0, base_title || ' - ' || district || ' ' || year, '', 'CSV', 'text/csv',
        ${stored.key}, ${table.fileName}, ${stored.sizeBytes}, ${stored.sha256}, ${table.rowCount}, published_at
      from bench_gen`);
    await db.execute(sql`update datasets set published_revision_id = g.revision_id from bench_gen g where g.dataset_id = datasets.id`);
    // Some downloads, so that "most downloaded" has something to sort (one dataset in five).
    await db.execute(sql`
      insert into resource_downloads (lineage_id, dataset_id, downloads)
      select r.lineage_id, g.dataset_id, 1 + (g.i::bigint * 104729) % 5000
      from bench_gen g join resources r on r.revision_id = g.revision_id
      where g.i % 5 = 0`);
    await db.execute(sql`drop table bench_catalogue, bench_districts, bench_gen`);
    return { topics, agencies, stored };
  });

  // The real outbox indexer (what `npm run cli -- reindex` runs).
  const logger = { info() {}, warn(details: object, message: string) { console.warn(message, details); } };
  const engine = m.postgresEngine.createPostgresEngine(db);
  const index = await timed('search index (createSearchIndexer().reindexAll())', () => m.outbox.createSearchIndexer(db, [engine], logger).reindexAll());
  if (index.value !== size) throw new Error(`indexed ${index.value} datasets, expected ${size}`);
  // PGlite has no autovacuum: without this the planner would work from empty statistics after a bulk load.
  await timed('analyze', () => db.execute(sql`analyze`));

  const { rowsOf } = m.client;
  const slugRows = rowsOf<{ slug: string }>(await db.execute(sql`select slug from datasets order by md5(slug) limit 2000`));
  const [download] = rowsOf<{ slug: string; id: string; size_bytes: string }>(
    await db.execute(sql`
      select d.slug, r.id, r.size_bytes from datasets d join resources r on r.revision_id = d.published_revision_id
      order by d.slug limit 1`),
  );
  return {
    slugs: slugRows.map((row) => row.slug),
    topicSlugs: generate.value.topics.map((topic) => topic.slug),
    agencySlugs: generate.value.agencies.map((agency) => agency.slug),
    download: { slug: download.slug, resourceId: download.id, sizeBytes: Number(download.size_bytes) },
    seconds: { migrate: migrate.seconds, generate: generate.seconds, index: index.seconds },
    indexMethod: 'createSearchIndexer(...).reindexAll()',
  };
}

// ------------------------------------------------------------------------------------------------
// Servers in child processes.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address !== 'string' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHttp(port: number, child: ChildProcess, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`the portal exited while starting (code ${exited})`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the portal did not answer /healthz within ${seconds} s`);
}

function stopChild(child: ChildProcess, graceSeconds = 30): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceSeconds * 1000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const children = new Set<ChildProcess>();

async function startHello(pageFile?: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(import.meta.url), ['--child', 'hello', ...(pageFile ? [pageFile] : [])], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { type: string; port: number }) => (message.type === 'ready' ? resolve(message.port) : reject(new Error('unexpected message'))));
    child.once('exit', (code) => reject(new Error(`hello-world server exited early (${code})`)));
  });
  return { child, port };
}

/** The real entry point, as an operator starts it, on the bench's database. */
async function startPortal(place: Place, profileDir: string | null, samePort?: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; port: number; startSeconds: number }> {
  const port = samePort ?? (await freePort());
  const started = performance.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'never',
    HOST: '127.0.0.1',
    PORT: String(port),
    // Production refuses to start without its public address.
    BASE_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: place.dataDir,
    DATABASE_URL: place.databaseUrl ?? '',
    // The page bench measures the default engine (PostgreSQL); Meilisearch is measured by search() below.
    MEILI_URL: '',
    ...extraEnv,
  };
  const execArgv = [...process.execArgv, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  const child = fork(path.join(rootDir, 'src/server.ts'), [], { env, execArgv, cwd: rootDir, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  await waitForHttp(port, child, 180);
  return { child, port, startSeconds: (performance.now() - started) / 1000 };
}

// ------------------------------------------------------------------------------------------------
// HTTP load.

interface LoadResult {
  name: string;
  path: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  /**
   * Seconds from the start until every one of the 50 connections had its first answer. libuv accepts one
   * connection per turn of a busy event loop (libuv#3696), and a turn of a saturated server serves
   * every accepted connection once: the 50th connection waits about 50²/2 page times. The figures
   * above are measured after that, over `seconds` of steady load; `p99WithRampUp` counts it in.
   */
  rampUpSeconds: number | null;
  p99WithRampUp: number;
  /** One request at a time, server otherwise idle: the page's own cost. */
  alone: { p50: number; max: number; count: number };
  ratioToHello?: number;
}

/** A rotating list of paths; one connection's requests take the next one each time. */
function rotation(paths: string[]) {
  let next = 0;
  return () => paths[next++ % paths.length];
}

/** Requests one after another (after the load, on an idle server), for at most ~15 s. */
async function aloneLatency(port: number, nextPath: () => string) {
  const samples: number[] = [];
  const until = performance.now() + 15_000;
  while (samples.length < 20 && (samples.length < 3 || performance.now() < until)) {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}${nextPath()}`);
    await response.arrayBuffer();
    samples.push(performance.now() - started);
  }
  const { p50, max, count } = percentiles(samples);
  return { p50, max, count };
}

/** Bare Fastify sending the home page's bytes: what any server pays to deliver a page of that size. */
async function bareWithPageBytes(portalPort: number, seconds: number, dir: string): Promise<LoadResult> {
  const file = path.join(dir, 'home-page.html');
  await writeFile(file, Buffer.from(await (await fetch(`http://127.0.0.1:${portalPort}/`)).arrayBuffer()));
  const bare = await startHello(file);
  try {
    return await load('bare Fastify, home page bytes', bare.port, ['/'], seconds);
  } finally {
    await stopChild(bare.child);
  }
}

async function load(name: string, port: number, paths: string[], seconds: number, settle: () => Promise<void> = async () => {}): Promise<LoadResult> {
  const nextPath = rotation(paths);
  const requests: autocannon.Request[] = [
    {
      method: 'GET',
      setupRequest: (request) => {
        request.path = nextPath();
        return request;
      },
    },
  ];
  // As a browser asks: gzip is welcome (the page cache keeps gzipped copies; hello world is too small to care).
  const base = { url: `http://127.0.0.1:${port}`, requests, headers: { 'accept-encoding': 'gzip, deflate, br' }, timeout: 120 };
  // Warm-up (JIT, template cache, database buffers), not counted: one connection, so that it leaves
  // no queue of requests behind it for the measured run to pay for.
  await autocannon({ ...base, connections: 1, duration: Math.min(3, Math.max(1, Math.round(seconds / 4))) });
  await settle();
  // Steady state: the clock starts once every connection has had an answer (see rampUpSeconds), and the
  // run stops `seconds` later; a ramp-up longer than a minute ends the run without one.
  const connections = 50;
  const steady = { from: 0, latencies: [] as number[], non2xx: 0 };
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const answered = new Set<unknown>();
    const instance = autocannon({ ...base, connections, duration: seconds + 60 }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (steady.from === 0) {
        answered.add(client);
        if (answered.size < connections) return;
        steady.from = performance.now();
        setTimeout(() => instance.stop(), seconds * 1000);
        return;
      }
      steady.latencies.push(responseTime);
      if (statusCode >= 300) steady.non2xx++;
    });
  });
  // The 50 requests in flight when the run stopped are still being served: wait for an idle server.
  await settle();
  const alone = await aloneLatency(port, nextPath);
  const sorted = steady.latencies.sort((a, b) => a - b);
  const at = (share: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? 0);
  const reachedSteady = steady.from > 0;
  const out: LoadResult = {
    name,
    path: paths.length === 1 ? paths[0] : `${paths[0]} … (${paths.length} paths, rotated)`,
    requestsPerSecond: reachedSteady ? sorted.length / seconds : result.requests.total / result.duration,
    p50: reachedSteady ? at(0.5) : result.latency.p50,
    p99: reachedSteady ? at(0.99) : result.latency.p99,
    requests: reachedSteady ? sorted.length : result.requests.total,
    non2xx: reachedSteady ? steady.non2xx : result.non2xx,
    errors: result.errors + result.timeouts,
    rampUpSeconds: reachedSteady ? Math.round((steady.from - started) / 100) / 10 : null,
    p99WithRampUp: result.latency.p99,
    alone,
  };
  const latency = out.requests > 0 ? `p50 ${String(out.p50).padStart(5)} ms  p99 ${String(out.p99).padStart(5)} ms` : 'no response within the run';
  const rampUp = out.rampUpSeconds === null ? ' | no steady state within a minute' : ` | ramp-up ${out.rampUpSeconds} s (p99 with it ${out.p99WithRampUp} ms)`;
  console.log(
    `  ${name.padEnd(33)} ${out.requestsPerSecond.toFixed(1).padStart(8)} req/s  ${latency}  | alone p50 ${out.alone.p50} ms` +
      (out.non2xx || out.errors ? `  (non-2xx ${out.non2xx}, errors ${out.errors})` : '') +
      rampUp,
  );
  return out;
}

/** A few words that many generated titles or descriptions contain. */
const commonQueries = ['giáo dục', 'dân số', 'doanh nghiệp', 'du lịch', 'giá đất', 'y tế', 'Tây Sơn', 'giao thong'];

async function checkDownload(port: number, download: Loaded['download']) {
  const response = await fetch(`http://127.0.0.1:${port}/dataset/${download.slug}/resource/${download.resourceId}/download`);
  const body = Buffer.from(await response.arrayBuffer());
  // A CSV may be sent with a UTF-8 byte order mark in front (for spreadsheet programs): 3 bytes more.
  const bom = body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0;
  if (response.status !== 200 || body.length - bom !== download.sizeBytes) {
    throw new Error(`download check failed: status ${response.status}, ${body.length} bytes, expected ${download.sizeBytes}`);
  }
}

// ------------------------------------------------------------------------------------------------
// Search latency, in this process.

type SearchQuery = Parameters<ReturnType<Modules['postgresEngine']['createPostgresEngine']>['search']>[0];

interface LabelledQuery {
  kind: string;
  query: SearchQuery;
}

function searchQueries(m: Modules, loaded: Loaded, count: number): LabelledQuery[] {
  const rng = m.rng.createRng(20250501);
  const words = [
    'giáo dục', 'trường học', 'dân số', 'doanh nghiệp', 'du lịch', 'giá đất', 'y tế', 'môi trường', 'Quy Nhơn', 'Tây Sơn',
    'hợp tác xã', 'bảo hiểm xã hội', 'thuê bao', 'xe buýt', 'khoáng sản', 'lao động', 'ngân sách', 'đường', 'năm 2021',
    'giấy phép', 'thủy sản', 'di tích', 'học sinh', 'hộ nghèo', 'nước sạch', 'chăn nuôi', 'An Nhơn quý 2', 'dữ liệu',
  ];
  const typos = ['giao duv', 'truong hco', 'doanh nghep', 'du lcih', 'khoang sna', 'thue baoo', 'benh vien', 'hoc sinhh', 'moi truongg'];
  const rare = ['pcpnn', 'luật sư', 'tàu cá', 'lãi suất'];
  const sorts = ['relevance', 'updated', 'name', 'downloads'] as const;
  const facetFilters = (): SearchQuery['filters'] => {
    const roll = rng.next();
    if (roll < 0.35) return { topic: [rng.pick(loaded.topicSlugs)] };
    if (roll < 0.55) return { agency: [rng.pick(loaded.agencySlugs)] };
    if (roll < 0.7) return { frequency: [rng.pick(['yearly', 'quarterly', 'monthly'])] };
    if (roll < 0.85) return { tag: [rng.pick(['trường học', 'giá cả', 'bình định', 'tây sơn', 'doanh nghiệp'])] };
    return { format: ['CSV'], licence: ['CC BY 4.0'] };
  };
  const queries: LabelledQuery[] = [];
  for (let i = 0; i < count; i++) {
    const roll = i % 10;
    const base: SearchQuery = { text: '', filters: {}, sort: 'relevance', page: 1, pageSize: 20 };
    let kind: string;
    if (roll === 0) {
      kind = 'empty query';
      base.sort = 'updated';
    } else if (roll <= 2) {
      kind = 'words with diacritics';
      base.text = rng.pick(words);
    } else if (roll <= 4) {
      kind = 'words without diacritics';
      base.text = m.searchTypes.fold(rng.pick(words));
    } else if (roll === 5) {
      kind = 'typo (near-miss)';
      base.text = rng.pick(typos);
    } else if (roll === 6) {
      kind = 'facet filter';
      base.text = rng.chance(0.5) ? '' : rng.pick(words);
      base.filters = facetFilters();
      if (!base.text) base.sort = 'updated';
    } else if (roll === 7) {
      kind = 'sort by downloads';
      base.text = rng.chance(0.5) ? '' : rng.pick(words);
      base.sort = 'downloads';
    } else if (roll === 8) {
      kind = 'sort by name / later page';
      base.text = rng.pick([...words, ...rare]);
      base.sort = rng.pick(sorts);
      base.page = rng.pick([1, 2, 3, 10]);
    } else {
      kind = 'rare words';
      base.text = rng.pick(rare);
    }
    queries.push({ kind, query: base });
  }
  return queries;
}

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
}

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const round = (value: number) => Math.round(value * 10) / 10;
  return { p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(sorted[sorted.length - 1]), count: sorted.length };
}

interface SearchBench {
  engine: string;
  overall: Percentiles;
  byKind: Record<string, Percentiles>;
  notes: string[];
}

/** A series stops after this long; a kind of query whose first call takes longer than kindCapMs is not repeated. */
const seriesBudgetMs = 90_000;
const kindCapMs = 2_000;

/**
 * Times each query once, one after another. `knownSlow` carries the kinds an earlier series found too
 * slow: they are not run again (a service that calls the engine is at least as slow).
 */
async function measureSearch(
  label: string,
  search: (query: SearchQuery) => Promise<unknown>,
  queries: LabelledQuery[],
  knownSlow = new Map<string, number>(),
): Promise<SearchBench & { slow: Map<string, number> }> {
  for (const { query } of queries.filter((q) => q.kind === 'words with diacritics').slice(0, 10)) await search(query); // warm-up
  const all: number[] = [];
  const timedQueries: Array<{ ms: number; kind: string; query: SearchQuery }> = [];
  const byKind = new Map<string, number[]>();
  const slow = new Map(knownSlow);
  let started = performance.now();
  let skipped = 0;
  for (const { kind, query } of queries) {
    if (performance.now() - started > seriesBudgetMs) break;
    const samples = byKind.get(kind) ?? [];
    const slowMs = slow.get(kind);
    if (slowMs !== undefined) {
      // Counted at the first call's time: a lower bound, so that the overall percentiles are not flattered.
      all.push(slowMs);
      skipped++;
      continue;
    }
    const at = performance.now();
    await search(query);
    const ms = performance.now() - at;
    all.push(ms);
    timedQueries.push({ ms, kind, query });
    byKind.set(kind, [...samples, ms]);
    if (samples.length === 0 && ms > kindCapMs) {
      slow.set(kind, ms);
      // One pathological call must not use up the whole series' time.
      started += ms;
    }
  }
  const result = {
    engine: label,
    overall: percentiles(all),
    byKind: Object.fromEntries([...byKind].map(([kind, samples]) => [kind, percentiles(samples)])),
    notes: [
      ...(all.length < queries.length ? [`stopped after ${(seriesBudgetMs / 1000).toFixed(0)} s: ${all.length} of ${queries.length} queries`] : []),
      ...[...slow].map(([kind, ms]) => `"${kind}" took ${Math.round(ms)} ms at its first call${knownSlow.has(kind) ? ' (in the series above)' : ''}: not repeated, counted at that time`),
      ...(skipped > 0 ? [`${skipped} calls counted at their kind's first time`] : []),
    ],
    slow,
  };
  console.log(`  ${label.padEnd(44)} p50 ${result.overall.p50} ms  p95 ${result.overall.p95} ms  p99 ${result.overall.p99} ms  (n=${all.length})`);
  for (const [kind, stats] of Object.entries(result.byKind)) {
    console.log(`      ${kind.padEnd(28)} p50 ${String(stats.p50).padStart(8)} ms  p95 ${String(stats.p95).padStart(8)} ms  (n=${stats.count})`);
  }
  for (const note of result.notes) console.log(`      note: ${note}`);
  if (process.env.BENCH_SLOWEST) {
    // The long tail, query by query (BENCH_SLOWEST=n): what to EXPLAIN with bench/search-explain.ts.
    for (const { ms, kind, query } of timedQueries.sort((a, b) => b.ms - a.ms).slice(0, Number(process.env.BENCH_SLOWEST))) {
      const facets = Object.entries(query.filters).map(([facet, values]) => `|${facet}=${values?.join(',')}`).join('');
      console.log(`      slow: ${ms.toFixed(1).padStart(7)} ms  ${kind.padEnd(26)} '${query.text}${facets}|sort=${query.sort}|page=${query.page}'`);
    }
  }
  return result;
}

async function searchBenches(m: Modules, database: DatabaseHandle, loaded: Loaded, count: number, coldEstimates: boolean): Promise<{ results: SearchBench[]; meili: string }> {
  const queries = searchQueries(m, loaded, count);
  const engine = m.postgresEngine.createPostgresEngine(database.db, coldEstimates ? { broadEstimateTtlMs: 0 } : {});
  const results: SearchBench[] = [];
  // Baselines in the same run, so that a loaded machine does not pass for a slow engine: a primary-key
  // lookup of one search document, and the bare GIN match of the same words (first 20 rows found, no
  // ranking, counting or facets): the floor any text search on this table pays.
  const { searchDocuments } = await import('../src/modules/search/search.table.ts');
  const ids = m.client.rowsOf<{ id: string }>(await database.db.execute(sql`select dataset_id as id from search_documents order by md5(dataset_id::text) limit 500`));
  let nextId = 0;
  const { slow: _pkSlow, ...primaryKey } = await measureSearch(
    'baseline: primary-key lookup',
    (_query) => database.db.select({ title: searchDocuments.title }).from(searchDocuments).where(sql`${searchDocuments.datasetId} = ${ids[nextId++ % ids.length].id}`),
    queries,
  );
  results.push(primaryKey);
  const { slow: _ginSlow, ...bareGin } = await measureSearch(
    'baseline: bare GIN match, 20 rows',
    (query) => {
      const terms = m.searchTypes.queryTerms(query.text);
      if (terms.length === 0) return database.db.select({ title: searchDocuments.title }).from(searchDocuments).limit(20);
      return database.db
        .select({ title: searchDocuments.title })
        .from(searchDocuments)
        .where(sql`${searchDocuments.searchVector} @@ ${terms.map((term) => `'${term}'`).join(' & ')}::tsquery`)
        .limit(20);
    },
    queries,
  );
  results.push(bareGin);
  const { slow, ...direct } = await measureSearch('postgres engine.search()', (query) => engine.search(query), queries);
  results.push(direct);
  // What the /dataset route calls: the service validates facet values against the index first.
  const service = m.searchService.createSearchService(database.db, engine, engine, { warn() {} });
  const { slow: _slow, ...viaService } = await measureSearch('postgres via datasetSearch service', (query) => service.search(query), queries, slow);
  results.push(viaService);

  const meiliUrl = process.env.MEILI_URL;
  if (!meiliUrl) {
    console.log('  meilisearch: skipped (MEILI_URL is not set)');
    return { results, meili: 'skipped: MEILI_URL not set' };
  }
  const indexName = `bench_datasets_${randomBytes(4).toString('hex')}`;
  const meili = m.meiliEngine.createMeiliEngine(meiliUrl, process.env.MEILI_MASTER_KEY ?? '', indexName);
  try {
    await timed(`meilisearch: index ${loaded.slugs.length >= 2000 ? 'all' : ''} datasets (${indexName})`, async () => {
      await meili.setup();
      const ids = await m.search.listPublicDatasetIds(database.db);
      for (let start = 0; start < ids.length; start += 1000) {
        const documents = await m.search.buildSearchDocuments(database.db, ids.slice(start, start + 1000));
        await meili.upsert([...documents.values()]);
      }
    });
    const { slow: _meiliSlow, ...meiliResult } = await measureSearch('meilisearch engine.search()', (query) => meili.search(query), queries);
    results.push(meiliResult);
    return { results, meili: `measured on ${indexName}` };
  } finally {
    const { Meilisearch } = await import('meilisearch');
    await new Meilisearch({ host: meiliUrl, apiKey: process.env.MEILI_MASTER_KEY ?? '' })
      .deleteIndex(indexName)
      .waitTask()
      .catch(() => undefined);
  }
}

// ------------------------------------------------------------------------------------------------
// Relevance: the test suite's relevance set on the demo catalogue.

interface RelevanceRow {
  query: string;
  precisionAt5: number;
  results: number;
  atMost: number;
  firstFive: number[];
}

async function relevanceBench(m: Modules): Promise<Record<string, RelevanceRow[]>> {
  const [{ relevanceCases, precisionAt5 }, { demoSearchDocuments }] = await Promise.all([
    import('../test/modules/search/relevance-cases.ts'),
    import('../test/modules/search/demo-documents.ts'),
  ]);
  const documents = demoSearchDocuments();
  const numberOf = new Map(documents.map((document) => [document.datasetId, Number(document.datasetId.slice(-12))]));
  const serverUrl = process.env.BENCH_DATABASE_URL;
  const place = await createPlace(serverUrl);
  const engines: Array<[string, SearchEngineOf]> = [];
  const database = await openPlace(m, place);
  const byEngine: Record<string, RelevanceRow[]> = {};
  try {
    await m.migrate.runMigrations(database);
    engines.push(['postgres', m.postgresEngine.createPostgresEngine(database.db)]);
    const meiliUrl = process.env.MEILI_URL;
    const meiliIndex = `bench_relevance_${randomBytes(4).toString('hex')}`;
    if (meiliUrl) engines.push(['meilisearch', m.meiliEngine.createMeiliEngine(meiliUrl, process.env.MEILI_MASTER_KEY ?? '', meiliIndex)]);
    console.log(`\n=== relevance: ${relevanceCases.length} queries on the demo catalogue (${documents.length} datasets) ===`);
    if (!meiliUrl) console.log('  meilisearch: skipped (MEILI_URL is not set)');
    for (const [name, engine] of engines) {
      await engine.setup();
      await engine.upsert(documents);
      const rows: RelevanceRow[] = [];
      for (const { query, first, atMost } of relevanceCases) {
        const result = await engine.search({ text: query, filters: {}, sort: 'relevance', page: 1, pageSize: 20 });
        const found = result.hits.map((hit) => numberOf.get(hit.datasetId) ?? 0);
        rows.push({ query, precisionAt5: precisionAt5(first, found), results: result.total, atMost, firstFive: found.slice(0, 5) });
      }
      byEngine[name] = rows;
      const mean = rows.reduce((sum, row) => sum + row.precisionAt5, 0) / rows.length;
      console.log(`  ${name}: mean precision@5 ${mean.toFixed(3)}, ${rows.filter((row) => row.results <= row.atMost).length}/${rows.length} within their result bound`);
      console.log(`      ${'query'.padEnd(24)} ${'P@5'.padStart(5)} ${'results'.padStart(8)} ${'bound'.padStart(6)}  first five`);
      for (const row of rows) {
        console.log(`      ${row.query.padEnd(24)} ${row.precisionAt5.toFixed(2).padStart(5)} ${String(row.results).padStart(8)} ${String(row.atMost).padStart(6)}  ${row.firstFive.join(' ')}`);
      }
      if (name === 'meilisearch') await engine.clear().catch(() => undefined);
    }
    return byEngine;
  } finally {
    await database.close();
    await removePlace(place, serverUrl);
  }
}

type SearchEngineOf = ReturnType<Modules['postgresEngine']['createPostgresEngine']>;

// ------------------------------------------------------------------------------------------------
// One size, then the whole run.

interface SizeReport {
  size: number;
  driver: string;
  setupSeconds: Loaded['seconds'] & { portalStart: number };
  indexMethod: string;
  pages: LoadResult[];
  search: SearchBench[];
  meilisearch: string;
  targets: Record<string, { value: number; target: string; met: boolean }>;
}

async function benchSize(m: Modules, options: Options, size: number, profileDir: string | null): Promise<SizeReport> {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  console.log(`\n=== ${size.toLocaleString('en')} published datasets (${serverUrl ? 'PostgreSQL server' : 'PGlite'}) ===`);
  const kept = options.reuse ? (JSON.parse(readFileSync(path.join(options.reuse, keptFile), 'utf8')) as Kept) : null;
  if (kept && Boolean(kept.place.serverDatabase) !== Boolean(serverUrl)) throw new Error('--reuse: BENCH_DATABASE_URL must be set exactly when the kept run had it');
  const place = kept?.place ?? (await createPlace(serverUrl));
  try {
    let database = await openPlace(m, place);
    let loaded: Loaded;
    try {
      if (kept) {
        loaded = kept.loaded;
        console.log(`  reusing ${place.dataDir}${place.serverDatabase ? ` and database ${place.serverDatabase}` : ''}`);
      } else {
        loaded = await loadCatalogue(m, database, place, size);
        if (options.keep) await writeFile(path.join(place.dataDir, keptFile), JSON.stringify({ size, place, loaded } satisfies Kept));
      }
    } finally {
      // PGlite is one process at a time: the portal child opens the same data directory next.
      await database.close();
    }

    const pages: LoadResult[] = [];
    let portalStart = 0;
    if (options.pages) {
    console.log(`HTTP, 50 connections, ${options.seconds} s each (after a short warm-up):`);
    const hello = await startHello();
    try {
      pages.push(await load('hello world (bare)', hello.port, ['/'], options.seconds));
    } finally {
      await stopChild(hello.child);
    }
    // As an operator runs it (page cache on, the default), then with the cache off: the pages' own cost.
    const runs = ([['', {}], [' (no cache)', { PAGE_CACHE_SECONDS: '0' }]] as const).filter(([suffix]) => options.cache === 'both' || (options.cache === 'off') === Boolean(suffix));
    for (const [suffix, extraEnv] of runs) {
      let portal = await startPortal(place, profileDir, undefined, extraEnv);
      portalStart ||= portal.startSeconds;
      console.log(`  portal${suffix} started in ${portal.startSeconds.toFixed(1)} s`);
      try {
        await checkDownload(portal.port, loaded.download);
        // Idle = /readyz (a database round trip) answers fast three times in a row. A queue of slow
        // requests that does not drain within 30 s is cut short by restarting the portal.
        const settle = async () => {
          const until = performance.now() + 30_000;
          let fast = 0;
          while (fast < 3 && performance.now() < until) {
            const started = performance.now();
            await fetch(`http://127.0.0.1:${portal.port}/readyz`, { signal: AbortSignal.timeout(60_000) })
              .then((response) => response.arrayBuffer())
              .catch(() => undefined);
            fast = performance.now() - started < 25 ? fast + 1 : 0;
            if (fast === 0) await new Promise((resolve) => setTimeout(resolve, 250));
          }
          if (fast < 3) {
            console.log('  (requests still queued after 30 s: restarting the portal)');
            await stopChild(portal.child, 20);
            // The same port: the load and the latency probe keep their address.
            portal = await startPortal(place, profileDir, portal.port, extraEnv);
          }
        };
        const wanted = (name: string) => !options.only || options.only.includes(name);
        const run = async (name: string, paths: string[]) => {
          if (wanted(name)) pages.push(await load(`${name}${suffix}`, portal.port, paths, options.seconds, settle));
        };
        await run('/', ['/']);
        if (!suffix && wanted('bare')) pages.push(await bareWithPageBytes(portal.port, options.seconds, place.dataDir));
        await run('/dataset?q=…', commonQueries.map((q) => `/dataset?q=${encodeURIComponent(q)}`));
        await run('/dataset/:slug', loaded.slugs.map((slug) => `/dataset/${slug}`));
        await run('/dataset?topic=…', loaded.topicSlugs.map((slug) => `/dataset?topic=${slug}`));
      } finally {
        await stopChild(portal.child);
      }
    }
    const helloRate = pages[0].requestsPerSecond;
    for (const page of pages.slice(1)) page.ratioToHello = page.requestsPerSecond / helloRate;
    }

    let search: Awaited<ReturnType<typeof searchBenches>> = { results: [], meili: 'skipped: --no-search' };
    if (options.searchSeries) {
      console.log(`search latency, ${options.queries} queries one after another, in this process:`);
      database = await openPlace(m, place);
      try {
        search = await searchBenches(m, database, loaded, options.queries, options.coldEstimates);
      } finally {
        await database.close();
      }
    }

    const targets: SizeReport['targets'] = {};
    // Uncached pages (issue 16): at 10k on either database, and the search page at 100k on the server.
    const uncachedTargets: Record<string, number> = size === 10_000 ? { '/dataset/:slug (no cache)': 500, '/dataset?q=… (no cache)': 200 } : { '/dataset?q=… (no cache)': 200 };
    for (const page of pages.slice(1).filter((page) => !page.name.startsWith('bare'))) {
      // No answer within the run: p99 is at least the run's length.
      const p99 = page.requests > 0 ? page.p99 : options.seconds * 1000;
      const uncached = uncachedTargets[page.name];
      if (uncached !== undefined && (size === 10_000 || serverUrl)) {
        targets[`${page.name} req/s`] = { value: Math.round(page.requestsPerSecond), target: `≥ ${uncached}`, met: page.requestsPerSecond >= uncached };
        if (size === 10_000) targets[`${page.name} p99 ms`] = { value: p99, target: '< 500', met: p99 < 500 };
      } else if (size === 10_000 && !page.name.endsWith('(no cache)')) {
        // Pages from the page cache (issue 13).
        targets[`${page.name} req/s ÷ hello`] = { value: Math.round((page.ratioToHello ?? 0) * 1000) / 1000, target: '≥ 0.25', met: (page.ratioToHello ?? 0) >= 0.25 };
        targets[`${page.name} p99 ms`] = { value: p99, target: '< 50', met: p99 < 50 };
      }
    }
    if (size === 100_000 && search.results.length > 0) {
      const p95 = (search.results.find((result) => result.engine.startsWith('postgres engine')) ?? search.results[0]).overall.p95;
      targets['postgres search p95 ms'] = { value: p95, target: '< 20', met: p95 < 20 };
      const p99 = (search.results.find((result) => result.engine.startsWith('postgres engine')) ?? search.results[0]).overall.p99;
      targets['postgres search p99 ms'] = { value: p99, target: '< 50', met: p99 < 50 };
    }
    return {
      size,
      driver: serverUrl ? 'postgres' : 'pglite',
      setupSeconds: { ...loaded.seconds, portalStart },
      indexMethod: loaded.indexMethod,
      pages,
      search: search.results,
      meilisearch: search.meili,
      targets,
    };
  } finally {
    if (kept) console.log('  (reused: left in place)');
    else if (options.keep) console.log(`  kept: ${place.dataDir}${place.serverDatabase ? ` and database ${place.serverDatabase}` : ''}`);
    else await removePlace(place, serverUrl);
  }
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function printSummary(reports: SizeReport[], machine: Record<string, unknown>) {
  console.log('\n=== summary ===');
  console.log(Object.entries(machine).map(([key, value]) => `${key}: ${value}`).join(' · '));
  console.log(`${'size'.padStart(8)}  ${'endpoint'.padEnd(33)} ${'req/s'.padStart(8)} ${'÷hello'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'alone p50'.padStart(10)}`);
  for (const report of reports) {
    for (const page of report.pages) {
      console.log(
        `${report.size.toLocaleString('en').padStart(8)}  ${page.name.padEnd(33)} ${page.requestsPerSecond.toFixed(1).padStart(8)} ${(page.ratioToHello === undefined ? '' : page.ratioToHello.toFixed(3)).padStart(7)} ${(page.requests ? String(page.p50) : '—').padStart(7)} ${(page.requests ? String(page.p99) : '—').padStart(7)} ${String(page.alone.p50).padStart(10)}`,
      );
    }
  }
  console.log(`${'size'.padStart(8)}  ${'search'.padEnd(36)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'p50 ÷pk'.padStart(8)} ${'p95 ÷pk'.padStart(8)}`);
  for (const report of reports) {
    // Ratios against the primary-key lookup measured in the same run.
    const base = report.search.find((search) => search.engine.startsWith('baseline: primary-key'));
    const ratio = (value: number, of: number | undefined) => (of ? (value / of).toFixed(1) : '');
    for (const search of report.search) {
      console.log(
        `${report.size.toLocaleString('en').padStart(8)}  ${search.engine.padEnd(36)} ${String(search.overall.p50).padStart(7)} ${String(search.overall.p95).padStart(7)} ${String(search.overall.p99).padStart(7)} ${ratio(search.overall.p50, base?.overall.p50).padStart(8)} ${ratio(search.overall.p95, base?.overall.p95).padStart(8)}`,
      );
    }
    if (report.meilisearch.startsWith('skipped')) console.log(`${report.size.toLocaleString('en').padStart(8)}  meilisearch ${report.meilisearch}`);
  }
  console.log('targets:');
  for (const report of reports) {
    for (const [name, target] of Object.entries(report.targets)) {
      console.log(`  ${report.size.toLocaleString('en').padStart(8)}  ${name.padEnd(45)} ${String(target.value).padStart(8)} (target ${target.target})  ${target.met ? 'met' : 'MISSED'}`);
    }
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  // The bench stops by itself, whatever happens.
  const giveUp = setTimeout(() => {
    console.error('bench: took longer than 40 minutes, giving up');
    for (const child of children) child.kill('SIGKILL');
    process.exit(2);
  }, 40 * 60_000);
  giveUp.unref();

  const m = await loadModules();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const profileDir = options.profile ? path.join(outDir, 'profiles', stamp) : null;
  if (profileDir) await mkdir(profileDir, { recursive: true });
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGB: round2(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    // Anything else running shares the cores with the servers and autocannon: say so in the figures.
    loadAverageAtStart: os.loadavg().map((value) => value.toFixed(2)).join(' '),
    database: process.env.BENCH_DATABASE_URL ? 'PostgreSQL server (BENCH_DATABASE_URL)' : 'PGlite (embedded, one data dir per size)',
  };
  const relevance = await relevanceBench(m);
  const reports: SizeReport[] = [];
  for (const size of options.sizes) reports.push(await benchSize(m, options, size, profileDir));
  Object.assign(machine, { loadAverageAtEnd: os.loadavg().map((value) => value.toFixed(2)).join(' ') });
  printSummary(reports, machine);

  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, `discovery-${stamp}.json`);
  await writeFile(file, `${JSON.stringify({ at: new Date().toISOString(), options, machine, relevance, reports }, null, 2)}\n`);
  console.log(`\nwritten: ${path.relative(rootDir, file)}${profileDir ? `; CPU profiles of the portal: ${path.relative(rootDir, profileDir)}` : ''}`);
}

if (process.argv[2] === '--child') {
  if (process.argv[3] === 'hello') void runHelloChild(process.argv[4]);
} else {
  const cleanUpChildren = () => {
    for (const child of children) child.kill('SIGKILL');
  };
  process.on('SIGINT', () => {
    cleanUpChildren();
    process.exit(130);
  });
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      cleanUpChildren();
      process.exit(1);
    },
  );
}
