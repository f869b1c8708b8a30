import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { openDatabase, rowsOf } from '../../../src/db/client.ts';
import { createJobRunner } from '../../../src/modules/jobs/jobs.service.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { tcpRelay } from '../../helpers/tcp-proxy.ts';
import { eventually } from '../datastore/datastore-helpers.ts';

const skip = process.env.TEST_DATABASE_URL ? false : 'needs a PostgreSQL server (TEST_DATABASE_URL): one embedded PGlite process has no other node to judge';

// Two nodes on one database. Node A runs a long job; while A lives, B leaves it alone. Then A is gone
// (its connections cut for good, as when its process is killed): B fails the job within two sweeps,
// not after pg-boss's expiry (15 min here, an hour for DataStore loads), and runs the retry.
test('a job whose node died is retried by another node within two lease sweeps; a live one is left alone', { skip, timeout: 90_000 }, async (t) => {
  const database = await createTestDatabase();
  const serverUrl = new URL(database.connectionString ?? '');
  const relay = await tcpRelay({ host: serverUrl.hostname, port: Number(serverUrl.port || 5432) });
  const viaRelay = new URL(serverUrl);
  viaRelay.host = `127.0.0.1:${relay.port}`;
  const nodeA = await openDatabase({ databaseUrl: viaRelay.toString(), dataDir: '' });
  const quiet = { warn: () => {}, error: () => {} };
  const warningsB: string[] = [];
  const logB = { warn: (_details: object, message: string) => warningsB.push(message), error: (_details: object, message: string) => warningsB.push(message) };
  const runnerA = createJobRunner(nodeA, quiet, { pollSeconds: 0.5, leaseSweepSeconds: 1 });
  const runnerB = createJobRunner(database, logB, { pollSeconds: 0.5, leaseSweepSeconds: 1 });
  let releaseA = () => {};
  const runs: string[] = [];
  runnerA.work(
    'test-lease',
    async () => {
      runs.push('A');
      await new Promise<void>((resolve) => (releaseA = resolve));
    },
    { retryLimit: 2, retryDelaySeconds: 1 },
  );
  t.after(async () => {
    releaseA();
    await runnerA.stop();
    await runnerB.stop();
    await nodeA.close();
    await relay.close();
    await database.close();
  });
  await runnerA.start();
  const id = await runnerA.enqueue('test-lease', {});
  assert.ok(id);
  await eventually(async () => runs.length === 1);

  runnerB.work('test-lease', async () => void runs.push('B'), { retryLimit: 2, retryDelaySeconds: 1 });
  await runnerB.start();
  // Several of B's sweeps while A lives and holds the lease: the job stays A's.
  await new Promise((resolve) => setTimeout(resolve, 3_500));
  assert.equal((await runnerB.jobState('test-lease', id))?.state, 'active');
  assert.deepEqual(runs, ['A']);

  await relay.cut();
  await eventually(async () => (await runnerB.jobState('test-lease', id))?.state === 'completed', 60);
  assert.deepEqual(runs, ['A', 'B']);
  assert.ok(warningsB.some((message) => message.includes('no lease')));
  const [job] = rowsOf<{ retry_count: number }>(await database.db.execute(sql`select retry_count from pgboss.job where id = ${id}`));
  assert.equal(job.retry_count, 1);
});
