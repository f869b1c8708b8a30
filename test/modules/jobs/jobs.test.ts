import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../src/db/client.ts';
import { enqueueJob } from '../../../src/modules/jobs/jobs.service.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { eventually } from '../datastore/datastore-helpers.ts';

test('a job asked for in a committed transaction runs once; one asked for in a rolled-back transaction never runs', async (t) => {
  const { app, db } = await buildTestApp(t);
  const handled: string[] = [];
  app.jobs.work<{ label: string }>('test-record', async (job) => {
    handled.push(job.payload.label);
  });
  await app.ready();
  await db.transaction(async (tx) => {
    await enqueueJob(tx, 'test-record', { label: 'kept' });
  });
  await assert.rejects(
    db.transaction(async (tx) => {
      await enqueueJob(tx, 'test-record', { label: 'rolled back' });
      throw new Error('the business change failed');
    }),
  );
  assert.equal(await app.jobs.moveOutbox(), 1);
  await eventually(async () => handled.length === 1);
  assert.equal(await app.jobs.moveOutbox(), 0);
  assert.deepEqual(handled, ['kept']);
});

test('a failing job is retried with backoff until it succeeds', async (t) => {
  const { app } = await buildTestApp(t);
  const attempts: number[] = [];
  app.jobs.work(
    'test-flaky',
    async (job) => {
      attempts.push(job.retryCount);
      if (job.retryCount < 2) throw new Error('not yet');
    },
    { retryLimit: 3, retryDelaySeconds: 1 },
  );
  await app.ready();
  const id = await app.jobs.enqueue('test-flaky', {});
  assert.ok(id);
  const state = await eventually(async () => {
    const job = await app.jobs.jobState('test-flaky', id);
    return job?.state === 'completed' ? job : undefined;
  });
  assert.equal(state.retryCount, 2);
  assert.deepEqual(attempts, [0, 1, 2]);
});

test('a daily job is scheduled in Vietnam time, once for all processes', async (t) => {
  const { app, db } = await buildTestApp(t);
  app.jobs.scheduleDaily('test-nightly', '02:30', { scope: 'all' });
  assert.throws(() => app.jobs.scheduleDaily('test-bad', '2h30'));
  await app.ready();
  const schedules = rowsOf<{ name: string; cron: string; timezone: string }>(await db.execute(sql`select name, cron, timezone from pgboss.schedule where name = 'test-nightly'`));
  assert.deepEqual(schedules, [{ name: 'test-nightly', cron: '30 2 * * *', timezone: 'Asia/Ho_Chi_Minh' }]);
});
