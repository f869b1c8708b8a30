import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../../../src/app.ts';
import { signInDelaySeconds } from '../../../src/modules/accounts/accounts.service.ts';
import { loginFailures } from '../../../src/modules/accounts/accounts.table.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildUser, testPassword } from '../../helpers/factories.ts';

// Issue 10, finding 11 (sign-in) and issue 17, item 5 (limits shared by every process).

test('finding 11: the delay grows with each failure of one account from one address, and ends when waited out', async (t) => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 12, 13, 40].map(signInDelaySeconds), [0, 0, 1, 2, 4, 8, 512, 900, 900]);
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const justNow = new Date();
  await testApp.db.insert(loginFailures).values(Array.from({ length: 6 }, () => ({ email: officer.email, ip: '198.51.100.8', at: justNow })));
  const agent = new Agent(testApp.app, '198.51.100.8');
  assert.equal((await agent.post('/login', { email: officer.email, password: testPassword })).statusCode, 429, 'six failures: wait 8 seconds');
  assert.equal((await new Agent(testApp.app, '198.51.100.9').post('/login', { email: officer.email, password: testPassword })).statusCode, 302, 'another address is not slowed');
  // The same failures, 9 seconds ago: the wait is over.
  await testApp.db.update(loginFailures).set({ at: new Date(Date.now() - 9_000) });
  assert.equal((await new Agent(testApp.app, '198.51.100.8').post('/login', { email: officer.email, password: testPassword })).statusCode, 302);
});

test('finding 11: the owner is told by mail once when failures on their account reach five', async (t) => {
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer', email: 'chu-tai-khoan@example.gov.vn' });
  for (let attempt = 1; attempt <= 7; attempt += 1) {
    await new Agent(testApp.app, `192.0.2.${attempt}`).post('/login', { email: officer.email, password: `Sai-${attempt}-lần` });
  }
  const notices = testApp.app.mailer.sent.filter((mail) => (mail.to as string[]).includes('chu-tai-khoan@example.gov.vn'));
  assert.equal(notices.length, 1);
  assert.match(String(notices[0].text), /5 lần đăng nhập sai/);
  assert.match(String(notices[0].text), /không bị khoá/);
  // Unknown accounts tell nobody.
  for (let attempt = 1; attempt <= 6; attempt += 1) {
    await new Agent(testApp.app, `192.0.2.${attempt}`).post('/login', { email: 'khong-ai@example.gov.vn', password: 'x' });
  }
  assert.equal(testApp.app.mailer.sent.length, 1);
});

const twoNodeSkip = process.env.TEST_DATABASE_URL
  ? false
  : 'two nodes need a PostgreSQL server (TEST_DATABASE_URL): PGlite is one process with one connection, and a second app on it is refused';

/** A second app on the same database, as a second node would be. */
async function secondNode(t: import('node:test').TestContext, testApp: Awaited<ReturnType<typeof buildTestApp>>) {
  const app = await buildApp({ config: testApp.config, database: testApp.database, storage: testApp.storage, mailTransport: { jsonTransport: true } });
  t.after(() => app.close());
  return app;
}

test('issue 17: the sign-in flood guard counts attempts made on every node', { skip: twoNodeSkip }, async (t) => {
  const testApp = await buildTestApp(t);
  const other = await secondNode(t, testApp);
  const statuses: number[] = [];
  for (let attempt = 1; attempt <= 31; attempt += 1) {
    const app = attempt % 2 ? testApp.app : other;
    // Empty forms: refused on the form (422) without counting as a failure; only the flood guard counts them.
    const agent = new Agent(app, '203.0.113.50');
    await agent.get('/login');
    statuses.push((await agent.post('/login', { email: '', password: '' })).statusCode);
  }
  assert.equal(statuses.filter((status) => status === 422).length, 30, 'thirty a minute in all');
  assert.equal(statuses.at(-1), 429, 'the 31st, whichever node gets it, is refused');
});

// Two nodes need a database server: on PGlite both apps would share one session, and the second
// node's job runner start-up (pg-boss) was seen to break the first node's next statement.
test('issue 17: the feedback rate limit counts posts made on every node, and a stamp issued by one node is accepted by the other only once', { skip: twoNodeSkip }, async (t) => {
  const testApp = await buildTestApp(t);
  const other = await secondNode(t, testApp);
  await Promise.all([testApp.app.ready(), other.ready()]);
  const stamp = testApp.app.feedbackStamps.issue(Date.now() - 60_000);
  const post = async (app: typeof other, values: Record<string, string>) => {
    const agent = new Agent(app, '203.0.113.60');
    await agent.get('/feedback/new');
    return agent.post('/feedback', { kind: 'other', title: 'Đề nghị', message: 'Nội dung góp ý đủ dài để gửi.', ...values });
  };
  const first = await post(other, { stamp });
  assert.equal(first.statusCode, 302, 'the other node accepts a stamp this one issued');
  const replay = await post(testApp.app, { stamp });
  assert.equal(replay.statusCode, 422, 'the same stamp, sent again to the first node, is refused');
  assert.match(replay.body, /đã được gửi một lần/);
  const statuses = [first.statusCode, replay.statusCode];
  for (let attempt = 3; attempt <= 11; attempt += 1) {
    const app = attempt % 2 ? testApp.app : other;
    statuses.push((await post(app, { stamp: app.feedbackStamps.issue(Date.now() - 60_000) })).statusCode);
  }
  assert.equal(statuses.slice(0, 10).filter((status) => status === 429).length, 0, 'ten posts in all are let through');
  assert.equal(statuses[10], 429, 'the eleventh is refused, whichever node gets it');
});
