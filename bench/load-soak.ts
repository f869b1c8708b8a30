/**
 * Mixed load and soak (issue 17, item 8). The portal (src/server.ts, NODE_ENV=production, the demo
 * catalogue of 167 datasets seeded into a fresh PGlite data directory, or a new database on
 * BENCH_DATABASE_URL) and a bare Fastify hello-world, each in a child process of its own:
 *
 *   1. load: autocannon at C connections for S seconds on each, the portal with a mix of the main
 *      public pages (home, browse, search, a dataset, an agency, topic groups, a resource page, a
 *      file download, the CKAN API's package_show) rotated per request; prints req/s, p50, p99,
 *      errors and non-2xx, and req/s ÷ hello-world measured in the same run;
 *   2. soak: the same mix at 10 connections for M minutes; the portal's RSS (from /proc) sampled
 *      every 5 s; prints the RSS of the first and last minute and the growth per minute after a
 *      one-minute warm-up, and exits 1 when RSS grew by more than 10 % between those minutes.
 *
 *   npx tsx bench/load-soak.ts [--connections 100] [--seconds 60] [--soak-minutes 10]
 *
 * The run is --connections 100 --seconds 60 --soak-minutes 10; on a shared 2-core machine use
 * less and say so. Feedback posts are not in the mix: each needs a fresh single-use stamp and CSRF
 * token from a page (test/fuzz covers those forms). Traffic goes to 127.0.0.1 only.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});


function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(port: number, child: ChildProcess, seconds: number, probe = '/healthz') {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`child exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}${probe}`);
      if (response.ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`nothing answered on ${port} within ${seconds} s`);
}

const rssMegabytes = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;


/** Answers by status code (a 302 is a download redirected to a link or a presigned URL, not a failure). */
function statuses(result: autocannon.Result): string {
  const stats = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  return `(${Object.entries(stats).map(([code, { count }]) => `${code}×${count}`).join(' ')})`;
}

/**
 * Answers that are neither 2xx nor the CKAN API's 429: the whole load comes from one address, so the
 * API's per-address limit (300 anonymous requests a minute) refuses most API calls by design.
 */
function unexpectedAnswers(result: autocannon.Result): number {
  const stats = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  return result.non2xx - (stats['429']?.count ?? 0);
}

function run(url: string, connections: number, seconds: number, paths?: string[]) {
  let next = 0;
  return autocannon({
    url,
    connections,
    duration: seconds,
    // A loaded 2-core machine answers slowly before it fails: count a request as lost after 30 s, not 10.
    timeout: 30,
    headers: { 'accept-encoding': 'gzip, deflate, br' },
    ...(paths ? { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, path: paths[next++ % paths.length] }) }] } : {}),
  });
}

async function main() {
  const connections = option('connections', 100);
  const seconds = option('seconds', 60);
  const soakMinutes = option('soak-minutes', 10);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portal-soak-'));
  const serverUrl = process.env.BENCH_DATABASE_URL;
  const databaseName = `portal_bench_${randomBytes(4).toString('hex')}`;
  let databaseUrl = '';
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database "${databaseName}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
  }
  try {
    const port = await freePort();
    const started = performance.now();
    const portal = fork(path.join(rootDir, 'src/server.ts'), [], {
      cwd: rootDir,
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'silent',
        SEED_DEMO: 'always',
        HOST: '127.0.0.1',
        PORT: String(port),
        BASE_URL: `http://127.0.0.1:${port}`,
        DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        MEILI_URL: '',
      },
    });
    children.add(portal);
    await waitForHttp(port, portal, 600);
    console.log(`portal up in ${((performance.now() - started) / 1000).toFixed(1)} s (${serverUrl ? 'PostgreSQL' : 'PGlite'}), RSS ${rssMegabytes(portal.pid ?? 0).toFixed(0)} MB`);

    const helloPort = await freePort();
    const hello = fork(fileURLToPath(import.meta.url), ['--hello-child', String(helloPort)], { execArgv: process.execArgv, stdio: 'inherit' });
    children.add(hello);
    await waitForHttp(helloPort, hello, 60, '/');

    // The mix: the main public pages, from the portal's own API.
    const base = `http://127.0.0.1:${port}`;
    const names = ((await (await fetch(`${base}/api/3/action/package_list`)).json()) as { result: string[] }).result.slice(0, 40);
    const paths = ['/', '/dataset', '/dataset?q=dan+so', `/dataset?q=${encodeURIComponent('nước')}`, '/group', '/organization'];
    for (const name of names.slice(0, 10)) {
      paths.push(`/dataset/${name}`, `/api/3/action/package_show?id=${name}`);
      // Resource pages and downloads as the dataset page links them (the API's ids are lineage ids).
      const html = await (await fetch(`${base}/dataset/${name}`)).text();
      const resource = new RegExp(`/dataset/${name}/resource/[0-9a-f-]{36}`).exec(html)?.[0];
      const download = new RegExp(`/dataset/${name}/resource/[0-9a-f-]{36}/download[^"]*`).exec(html)?.[0];
      const agency = /href="(\/organization\/[^"?#]+)"/.exec(html)?.[1];
      for (const item of [resource, download, agency]) if (item && !paths.includes(item)) paths.push(item);
    }
    for (const item of paths) {
      const response = await fetch(`${base}${item}`, { redirect: 'manual' });
      if (response.status >= 400) throw new Error(`${item} answered ${response.status} before the load`);
      await response.arrayBuffer();
    }

    const helloResult = await run(`http://127.0.0.1:${helloPort}`, connections, seconds);
    const portalResult = await run(base, connections, seconds, paths);
    const line = (name: string, result: autocannon.Result) =>
      `${name.padEnd(16)} ${result.requests.average.toFixed(0).padStart(7)} req/s  p50 ${String(result.latency.p50).padStart(5)} ms  p99 ${String(result.latency.p99).padStart(5)} ms  errors ${result.errors}  timeouts ${result.timeouts}  non-2xx ${result.non2xx} ${statuses(result)}`;
    console.log(`\nload: ${connections} connections, ${seconds} s each, ${paths.length} paths rotated`);
    console.log(line('bare Fastify', helloResult));
    console.log(line('portal mix', portalResult));
    console.log('(429: the CKAN API\'s per-address limit, 300 anonymous calls a minute; every request here comes from one address)');
    console.log(`ratio portal ÷ bare Fastify: ${(portalResult.requests.average / helloResult.requests.average).toFixed(3)}`);
    hello.kill('SIGTERM');

    if (soakMinutes > 0) {
      const samples: Array<{ at: number; rss: number }> = [];
      const soakStart = performance.now();
      const timer = setInterval(() => samples.push({ at: (performance.now() - soakStart) / 60_000, rss: rssMegabytes(portal.pid ?? 0) }), 5_000);
      const soak = await run(base, 10, Math.round(soakMinutes * 60), paths);
      clearInterval(timer);
      const window = (from: number, to: number) => samples.filter((sample) => sample.at >= from && sample.at < to).map((sample) => sample.rss);
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
      const firstMinute = median(window(Math.min(1, soakMinutes / 3), Math.min(2, (soakMinutes * 2) / 3)));
      const lastMinute = median(window(soakMinutes - Math.min(1, soakMinutes / 3), soakMinutes + 1));
      const growth = (lastMinute - firstMinute) / firstMinute;
      console.log(`\nsoak: ${soakMinutes} min at 10 connections, ${soak.requests.total} requests, errors ${soak.errors}, non-2xx ${soak.non2xx} ${statuses(soak)}, p99 ${soak.latency.p99} ms`);
      console.log(`RSS after warm-up ${firstMinute.toFixed(0)} MB, at the end ${lastMinute.toFixed(0)} MB, growth ${(growth * 100).toFixed(1)} %; min ${Math.min(...samples.map((s) => s.rss)).toFixed(0)} MB, max ${Math.max(...samples.map((s) => s.rss)).toFixed(0)} MB over ${samples.length} samples`);
      if (growth > 0.1 || soak.errors > 0 || unexpectedAnswers(soak) > 0) process.exitCode = 1;
    }
    if (portalResult.errors > 0 || unexpectedAnswers(portalResult) > 0) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await rm(dataDir, { recursive: true, force: true });
    if (serverUrl) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`drop database if exists "${databaseName}" with (force)`);
      await admin.end();
    }
  }
}

// Last: the helpers above must exist before the top-level await runs.
if (process.argv[2] === '--hello-child') {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ port: Number(process.argv[3]), host: '127.0.0.1' });
} else {
  await main();
}
