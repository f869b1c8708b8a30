import assert from 'node:assert/strict';
import { test } from 'node:test';
import { desc } from 'drizzle-orm';
import { auditLog } from '../../../src/modules/audit/audit.table.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildUser, testPassword } from '../../helpers/factories.ts';
import { eventually } from '../datastore/datastore-helpers.ts';

// Issue 17, item 1 (782 Art. 5.4, the portal runs unattended): a job that used up its retries is
// not lost silently; DOIT sees it in the back office and retries or discards it.

async function appWithFailedJob(t: import('node:test').TestContext) {
  const testApp = await buildTestApp(t);
  const { app } = testApp;
  let healthy = false;
  const handled: string[] = [];
  app.jobs.work<{ to: string; apiToken: string }>(
    'test-mail-like',
    async (job) => {
      if (!healthy) throw new Error('SMTP refused the recipient\n    at deliver (mailer.ts:10:5)');
      handled.push(job.payload.to);
    },
    { retryLimit: 0 },
  );
  await app.ready();
  const id = await app.jobs.enqueue('test-mail-like', { to: 'so-tai-chinh@example.gov.vn', apiToken: 'dgov_very_secret' });
  assert.ok(id);
  await eventually(async () => (await app.jobs.jobState('test-mail-like', id))?.state === 'failed');
  return { ...testApp, id, handled, heal: () => (healthy = true) };
}

async function signedIn(app: import('fastify').FastifyInstance, email: string) {
  const agent = new Agent(app);
  await agent.signIn(email, testPassword);
  return agent;
}

test('DOIT sees a job that exhausted its retries with its queue, error and a payload summary without secrets or stack (Art. 5.4)', async (t) => {
  const { app, db, id } = await appWithFailedJob(t);
  const admin = await buildUser(db, { role: 'admin' });
  const agent = await signedIn(app, admin.email);
  const page = await agent.get('/admin/jobs');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /test-mail-like/);
  assert.match(page.body, /SMTP refused the recipient/);
  assert.match(page.body, /so-tai-chinh@example\.gov\.vn/);
  assert.doesNotMatch(page.body, /dgov_very_secret/, 'a token in a payload is masked');
  assert.doesNotMatch(page.body, /mailer\.ts:10/, 'no stack trace on the page');
  assert.match(page.body, new RegExp(`/admin/jobs/${id}/discard`));
  assert.match(page.body, /href="\/admin\/jobs"/, 'the back-office menu links to the page');

  const english = await agent.get('/admin/jobs?lang=en');
  assert.equal(english.statusCode, 200);
});

test('only those whose role grants jobs.manage see failed jobs or act on them (Art. 5.2)', async (t) => {
  const { app, db, id } = await appWithFailedJob(t);
  const officer = await buildUser(db, { role: 'officer' });
  const agent = await signedIn(app, officer.email);
  const page = await agent.get('/admin/jobs');
  assert.equal(page.statusCode, 403);
  assert.doesNotMatch((await agent.get('/admin')).body, /href="\/admin\/jobs"/);
  const retry = await agent.post(`/admin/jobs/${id}/retry`);
  assert.equal(retry.statusCode, 403);
  assert.equal((await app.jobs.jobState('test-mail-like', id))?.state, 'failed');
});

test('a retried failed job runs again and the retry is in the audit log; a form without its CSRF token changes nothing', async (t) => {
  const { app, db, id, handled, heal } = await appWithFailedJob(t);
  const admin = await buildUser(db, { role: 'admin' });
  const agent = await signedIn(app, admin.email);
  await agent.get('/admin/jobs');
  const forged = await agent.post(`/admin/jobs/${id}/retry`, {}, { csrf: false });
  assert.equal(forged.statusCode, 403);
  assert.equal((await app.jobs.jobState('test-mail-like', id))?.state, 'failed');

  heal();
  const retried = await agent.post(`/admin/jobs/${id}/retry`);
  assert.equal(retried.statusCode, 302);
  await eventually(async () => (await app.jobs.jobState('test-mail-like', id))?.state === 'completed');
  assert.deepEqual(handled, ['so-tai-chinh@example.gov.vn']);
  const [entry] = await db.select().from(auditLog).orderBy(desc(auditLog.at)).limit(1);
  assert.equal(entry.action, 'jobs.retried');
  assert.equal(entry.objectId, id);
  const again = await agent.post(`/admin/jobs/${id}/retry`);
  assert.equal(again.statusCode, 404, 'a job no longer failed cannot be retried twice');
  assert.match(again.body, /không tìm thấy tác vụ lỗi/i);
});

test('discarding a failed job asks first without JavaScript, then removes it and keeps its payload in the audit log', async (t) => {
  const { app, db, id } = await appWithFailedJob(t);
  const admin = await buildUser(db, { role: 'admin' });
  const agent = await signedIn(app, admin.email);
  await agent.get('/admin/jobs');
  const asked = await agent.post(`/admin/jobs/${id}/discard`);
  assert.equal(asked.statusCode, 200);
  assert.match(asked.body, /Bỏ tác vụ test-mail-like này\?/);
  assert.equal((await app.jobs.jobState('test-mail-like', id))?.state, 'failed');

  const discarded = await agent.post(`/admin/jobs/${id}/discard`, { confirm: 'yes' });
  assert.equal(discarded.statusCode, 302);
  assert.equal(await app.jobs.jobState('test-mail-like', id), null);
  const page = await agent.get('/admin/jobs');
  assert.match(page.body, /Không có tác vụ nào bị lỗi/);
  const [entry] = await db.select().from(auditLog).orderBy(desc(auditLog.at)).limit(1);
  assert.equal(entry.action, 'jobs.discarded');
  assert.equal((entry.details as { payload: { to: string } }).payload.to, 'so-tai-chinh@example.gov.vn');
});

test('a job id that is not a UUID or names no failed job answers 404 with a sentence, not a 500', async (t) => {
  const { app, db } = await buildTestApp(t);
  const admin = await buildUser(db, { role: 'admin' });
  const agent = await signedIn(app, admin.email);
  await agent.get('/admin/jobs');
  assert.equal((await agent.post('/admin/jobs/not-a-uuid/retry')).statusCode, 404);
  const unknown = await agent.post('/admin/jobs/00000000-0000-4000-8000-000000000000/discard', { confirm: 'yes' });
  assert.equal(unknown.statusCode, 404);
  assert.equal((await agent.get('/admin/jobs?page=abc')).statusCode, 400);
});

test('/metrics shows failed jobs per queue, so an alert can fire before anyone opens the back office', async (t) => {
  const { app } = await appWithFailedJob(t);
  const metrics = await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
  assert.equal(metrics.statusCode, 200);
  assert.match(metrics.body, /portal_jobs\{[^}]*queue="test-mail-like"[^}]*state="failed"[^}]*\} 1/);
});
