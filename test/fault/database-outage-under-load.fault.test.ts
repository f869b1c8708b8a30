import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import pg from 'pg';
import { buildDataset } from '../helpers/factories.ts';
import { tcpRelay } from '../helpers/tcp-proxy.ts';
import { eventually, faultWorkspace } from './portal-process.ts';

// Issue 17, item 8 (782 Art. 5.4): PostgreSQL becomes unavailable to one portal node while it is
// under load, and comes back. The shared PostgreSQL server is not restarted (others use it); the
// outage is made two ways a node meets in production:
//   A. every backend of the node's database is terminated (pg_terminate_backend, what a server
//      restart or a failover does to open connections), five times, 1.5 s apart;
//   B. the network to the server is cut for 3 s (a TCP relay in between is closed: in-flight
//      connections reset, new ones refused), then restored.
// Every request answers 200 or 503 with Retry-After (never a 500, never a hang), and the same process
// (same pid, never restarted) serves again afterwards, its search indexer included. The counts of
// each status per phase are printed.
const skip = process.env.TEST_DATABASE_URL ? false : 'needs a PostgreSQL server (TEST_DATABASE_URL): embedded PGlite is inside the process and cannot go away alone';

type Phase = 'before' | 'terminations' | 'between' | 'network cut' | 'recovering' | 'after';

interface Answer {
  phase: Phase;
  path: string;
  status: number | 'hang' | 'error';
  retryAfter: string | null;
  body: string;
}

test('PostgreSQL unavailable under load: 503 with Retry-After, never 500 or a hang, and the node recovers on its own', { skip, timeout: 240_000 }, async (t) => {
  const { database, storage, start } = await faultWorkspace(t, 'outage');
  const serverUrl = new URL(database.connectionString ?? '');
  const databaseName = serverUrl.pathname.slice(1);
  const relay = await tcpRelay({ host: serverUrl.hostname, port: Number(serverUrl.port || 5432) });
  const viaRelay = new URL(serverUrl);
  viaRelay.host = `127.0.0.1:${relay.port}`;
  // The terminations come from a session on another database, so they never end themselves.
  const adminUrl = new URL(serverUrl);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  t.after(async () => {
    await admin.end();
    await relay.close();
  });
  await buildDataset(database.db, storage, { slug: 'chat-luong-nuoc', files: [{ content: 'tram,ph\nA,7\nB,6.5\n' }] });
  const portal = await start({ databaseUrl: viaRelay.toString() });
  const pid = portal.child.pid;
  const base = portal.base;
  const html = await (await fetch(`${base}/dataset/chat-luong-nuoc`)).text();
  const download = /\/dataset\/chat-luong-nuoc\/resource\/[0-9a-f-]{36}\/download[^"]*/.exec(html)?.[0];
  assert.ok(download, 'the dataset page links its file');
  const paths = ['/', '/dataset', '/dataset/chat-luong-nuoc', '/dataset?q=nuoc', '/organization', '/group', '/api/3/action/package_show?id=chat-luong-nuoc', download];

  let phase: Phase = 'before';
  let running = true;
  const answers: Answer[] = [];
  const worker = async (offset: number) => {
    for (let i = offset; running; i++) {
      // A request in flight when a fault began or ended counts in the fault's phase: it met it.
      const started = phase;
      const faultOf = () => (started === 'terminations' || started === 'network cut' || started === 'recovering' ? started : phase);
      try {
        const requested = paths[i % paths.length];
        const response = await fetch(`${base}${requested}`, { redirect: 'manual', signal: AbortSignal.timeout(15_000) });
        const body = await response.text();
        answers.push({ phase: faultOf(), path: requested, status: response.status, retryAfter: response.headers.get('retry-after'), body: response.status >= 500 ? body.slice(0, 300) : '' });
      } catch (error) {
        answers.push({ phase: faultOf(), path: paths[i % paths.length], status: (error as Error).name === 'TimeoutError' ? 'hang' : 'error', retryAfter: null, body: String(error) });
        // The node refusing connections (it died): do not spin.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  const connections = 16;
  const load = Promise.all(Array.from({ length: connections }, (_, index) => worker(index)));
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  t.after(async () => {
    running = false;
    await load;
  });
  const exitedEarly = () => (portal?.child.exitCode !== null ? `the node exited (${portal?.child.exitCode}):\n${portal?.output()}` : '');

  await pause(2_000);
  phase = 'terminations';
  let terminated = 0;
  for (let round = 0; round < 5; round++) {
    const result = await admin.query('select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [databaseName]);
    terminated += result.rows[0].n;
    await pause(1_500);
  }
  phase = 'between';
  await pause(2_000);
  phase = 'network cut';
  await relay.cut();
  await pause(3_000);
  // /readyz during the cut says what is wrong, with a 503 the proxy in front understands.
  const readyDuringCut = await fetch(`${base}/readyz`).catch((error) => {
    throw new Error(exitedEarly() || String(error));
  });
  const readyBody = (await readyDuringCut.json()) as { checks: Record<string, string> };
  await relay.restore();
  const restoredAt = Date.now();
  // Until /readyz says the database answers again, a 503 is still the outage, not a failure to recover.
  phase = 'recovering';
  const readyAgainMs = await eventually(async () => {
    if (exitedEarly()) throw new Error(exitedEarly());
    return (await fetch(`${base}/readyz`).catch(() => null))?.status === 200 ? Date.now() - restoredAt : false;
  }, 60);
  phase = 'after';
  await pause(3_000);
  running = false;
  await load;

  // The search indexer's timer lived through it: a publication now reaches search.
  await buildDataset(database.db, storage, { slug: 'quan-trac-khong-khi', revision: { title: 'Quan trắc không khí' } });
  await eventually(async () => ((await (await fetch(`${base}/dataset?q=khong+khi`)).text()).includes('quan-trac-khong-khi') || false), 30);

  // No connection was lost for good: once the node is idle, none is checked out of its pool (a
  // transaction whose BEGIN failed used to keep its connection for ever, ten of them the whole pool).
  const pool = async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    return Object.fromEntries([...text.matchAll(/^portal_db_pool_clients\{state="(\w+)"[^}]*\} (\d+)/gm)].map((match) => [match[1], Number(match[2])]));
  };
  const poolAfter = await pool();
  const idlePool = await eventually(async () => {
    const state = await pool();
    return state.checked_out === 0 ? state : false;
  }, 20, 250);
  t.diagnostic(`pool right after the load: ${JSON.stringify(poolAfter)}; once idle: ${JSON.stringify(idlePool)}`);

  const phases: Phase[] = ['before', 'terminations', 'between', 'network cut', 'recovering', 'after'];
  for (const name of phases) {
    const inPhase = answers.filter((answer) => answer.phase === name);
    const counts = new Map<string, number>();
    for (const answer of inPhase) counts.set(String(answer.status), (counts.get(String(answer.status)) ?? 0) + 1);
    t.diagnostic(`${name}: ${inPhase.length} requests, ${[...counts].map(([status, count]) => `${status}×${count}`).join(' ')}`);
  }
  t.diagnostic(`backends terminated: ${terminated} over 5 rounds; /readyz during the cut: ${readyDuringCut.status} ${JSON.stringify(readyBody.checks)}; ready again ${readyAgainMs} ms after the network came back; same process: pid ${pid}`);

  if (process.env.FAULT_LOG) await writeFile(process.env.FAULT_LOG, portal.output());
  // On a quiet machine the load sends more than the CKAN API's 300 anonymous requests a minute: its
  // rate limit answering 429 (with Retry-After) is the API working, not the outage; nothing else may.
  const served = (answer: Answer) => answer.status === 200 || answer.status === 302 || (answer.status === 429 && answer.path.startsWith('/api/') && Number(answer.retryAfter) > 0);
  for (const answer of answers) {
    assert.ok(served(answer) || answer.status === 503, `${answer.phase}: ${answer.path} answered ${answer.status} ${answer.body}`);
    if (answer.status === 503) assert.ok(Number(answer.retryAfter) > 0, `a 503 says when to come back: ${answer.body}`);
  }
  assert.ok(terminated > 0, 'the terminations reached the node');
  assert.ok(answers.some((answer) => answer.phase === 'network cut' && answer.status === 503), 'the cut was felt');
  assert.equal(readyDuringCut.status, 503);
  assert.equal(readyBody.checks.database, 'unavailable');
  for (const quiet of ['before', 'between', 'after']) {
    const refused = answers.filter((answer) => answer.phase === quiet && !served(answer));
    assert.deepEqual(refused, [], `all served ${quiet} the faults`);
  }
  assert.equal(portal.child.exitCode, null, 'the node never exited');
  // The node logs and survives a promise nobody caught (server.ts); each is still a bug, found here.
  const unhandled = portal.output().split('\n').filter((line) => line.includes('unhandled promise rejection'));
  assert.deepEqual(unhandled, [], 'no unhandled promise rejection in the node');
  assert.equal(portal.child.pid, pid);
});
