import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../../../src/db/client.ts';
import { actorOf } from '../../../src/modules/accounts/accounts.service.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { buildUser, testPassword } from '../../helpers/factories.ts';
import { buildOffice, publishThroughFlow } from '../datasets/publishing-helpers.ts';

// Issue 17 item 5: app nodes keep no state of their own that another node would need. Two apps, each
// with its own connection pool and its own LISTEN connection, on one PostgreSQL database.
const skip = process.env.TEST_DATABASE_URL
  ? false
  : 'two app nodes need a PostgreSQL server (TEST_DATABASE_URL); embedded PGlite is one process, so there is nothing to share';

// Pages stay a minute in each node's cache: only the other node's news can explain a fresh page.
const env = { PAGE_CACHE_SECONDS: '60' };

async function twoNodes(t: Parameters<typeof buildTestApp>[0]) {
  const shared = await createTestDatabase();
  const second = await openDatabase({ databaseUrl: shared.connectionString, dataDir: '' });
  const one = await buildOffice(t, env, { database: shared });
  const other = await buildTestApp(t, env, { database: second });
  // After both apps (hooks run in the order they were added): the databases close last.
  t.after(async () => {
    await second.close();
    await shared.close();
  });
  await one.app.ready();
  await other.app.ready();
  return { one, other };
}

/** Asks `app` for `url` until `seen` holds, for at most a second; the last answer either way. */
async function withinASecond(app: FastifyInstance, url: string, seen: (body: string) => boolean) {
  const deadline = Date.now() + 1000;
  for (;;) {
    const page = await app.inject({ url });
    if (seen(page.body) || Date.now() > deadline) return page;
    await sleep(20);
  }
}

test('a session made on one node is valid on the other, and signing out on the other ends it on both', { skip }, async (t) => {
  const { one, other } = await twoNodes(t);
  const onOther = new Agent(other.app);
  onOther.cookies = new Map(one.officer.cookies);
  const backOffice = await onOther.get('/admin');
  assert.equal(backOffice.statusCode, 200);

  await onOther.post('/logout');
  const afterwards = await one.officer.get('/admin');
  assert.equal(afterwards.statusCode, 302);
  assert.match(String(afterwards.headers.location), /^\/login/);
});

test('a form served by one node is accepted by the other, and refused there without its token', { skip }, async (t) => {
  const { one, other } = await twoNodes(t);
  const user = await buildUser(one.db);
  const visitor = new Agent(one.app);
  await visitor.get('/login');
  assert.ok(visitor.csrfToken);

  const forged = new Agent(other.app);
  const refused = await forged.post('/login', { email: user.email, password: testPassword, _csrf: 'not-the-token' }, { csrf: false });
  assert.equal(refused.statusCode, 403);

  const onOther = new Agent(other.app);
  onOther.cookies = new Map(visitor.cookies);
  onOther.csrfToken = visitor.csrfToken;
  const signedIn = await onOther.post('/login', { email: user.email, password: testPassword });
  assert.equal(signedIn.statusCode, 302);
  assert.equal((await onOther.get('/admin')).statusCode, 200);
});

test('a publication on one node shows on the other node’s cached pages within a second', { skip }, async (t) => {
  const { one, other } = await twoNodes(t);
  const title = 'Danh sách trường trung học phổ thông';
  await other.app.inject({ url: '/' });
  const cached = await other.app.inject({ url: '/' });
  assert.equal(cached.headers['x-page-cache'], 'hit');
  assert.doesNotMatch(cached.body, new RegExp(title));

  await publishThroughFlow(one);
  // The home page lists new datasets once the search outbox is indexed; index now, as the timer would.
  await one.app.searchIndexer.drain();
  const fresh = await withinASecond(other.app, '/', (body) => body.includes(title));
  assert.match(fresh.body, new RegExp(title));
});

test('a settings change on one node shows on the other node’s pages within a second', { skip }, async (t) => {
  const { one, other } = await twoNodes(t);
  await other.app.inject({ url: '/' });
  assert.equal((await other.app.inject({ url: '/' })).headers['x-page-cache'], 'hit');
  const admin = await buildUser(one.db, { role: 'admin' });
  await one.app.settings.update(actorOf(admin, '127.0.0.1'), { portalTitleVi: 'Cổng dữ liệu mở — bản thử hai nút' });
  const fresh = await withinASecond(other.app, '/', (body) => body.includes('bản thử hai nút'));
  assert.match(fresh.body, /Cổng dữ liệu mở — bản thử hai nút/);
});
