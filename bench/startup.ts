/**
 * Start time and idle memory of the portal: through tsx (a runtime transpiler) against the build in
 * dist/ on plain node, on this machine's Node and, when given, on another node binary (NODE24=path).
 * Each variant starts `runs` times on one migrated database (PostgreSQL when BENCH_DATABASE_URL is set,
 * else a PGlite data directory prepared once); "ready" is the first 200 from /healthz, counted from the
 * spawn; idle RSS is read from /proc 3 s later. The baseline is a bare `node -e` HTTP server started the
 * same way, so a busy machine shows as a slow baseline, not as a slow portal.
 *
 *   npm run build && npx tsx bench/startup.ts [runs=3]
 *   NODE24=/tmp/node24/node_modules/.bin/node BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/startup.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const runs = Number(process.argv[2] ?? 3);
const root = path.resolve(import.meta.dirname, '..');
if (!existsSync(path.join(root, 'dist/server.js'))) {
  console.error('dist/server.js is missing: run `npm run build` first.');
  process.exit(1);
}

let port = 3900;
async function startOnce(command: string, args: string[], env: Record<string, string>) {
  const listen = String(port++);
  const started = performance.now();
  const child: ChildProcess = spawn(command, args, { cwd: root, env: { ...process.env, ...env, PORT: listen, HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${listen}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      await sleep(20);
    }
    const readyMs = performance.now() - started;
    await sleep(3000);
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    return { readyMs, rssMb };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portal-startup-'));
  let databaseUrl = '';
  const serverUrl = process.env.BENCH_DATABASE_URL;
  const dbName = `portal_bench_startup_${process.pid}`;
  if (serverUrl) {
    const admin = new pg.Client(serverUrl);
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const env = { NODE_ENV: 'production', LOG_LEVEL: 'silent', SEED_DEMO: 'never', DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
  // The first start migrates; it is not counted.
  await startOnce(process.execPath, ['dist/server.js'], env);

  const baseline = ['-e', "require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT,'127.0.0.1')"];
  const variants: Array<[string, string, string[]]> = [
    ['baseline: bare node http', process.execPath, baseline],
    [`tsx src/server.ts (node ${process.version})`, process.execPath, ['--import', 'tsx', 'src/server.ts']],
    [`node dist/server.js (node ${process.version})`, process.execPath, ['dist/server.js']],
  ];
  const other = process.env.NODE24;
  if (other) {
    variants.push([`tsx src/server.ts (${path.basename(other)} 24)`, other, ['--import', 'tsx', 'src/server.ts']]);
    variants.push([`node dist/server.js (${path.basename(other)} 24)`, other, ['dist/server.js']]);
  }
  const results: Array<{ name: string; readyMs: number; rssMb: number }> = [];
  for (const [name, command, args] of variants) {
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await startOnce(command, args, env));
    results.push({ name, readyMs: median(samples.map((s) => s.readyMs)), rssMb: median(samples.map((s) => s.rssMb)) });
  }
  const base = results[0];
  console.log(`\nstartup, median of ${runs} (${serverUrl ? 'PostgreSQL' : 'PGlite'}; ready = first 200 from /healthz):`);
  for (const r of results) {
    console.log(`${r.name.padEnd(40)} ready ${r.readyMs.toFixed(0).padStart(6)} ms (${(r.readyMs / base.readyMs).toFixed(1)}× baseline)   idle RSS ${r.rssMb.toFixed(0).padStart(4)} MB`);
  }
  await rm(dataDir, { recursive: true, force: true });
  if (serverUrl) {
    const admin = new pg.Client(serverUrl);
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
