import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { loginFailures } from '../../../src/modules/accounts/accounts.table.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildUser, testPassword } from '../../helpers/factories.ts';
import { auditRows, countRows, inputValue, sessionRowsOf } from './support.ts';

/*
 * Sign-in at /login (issue 3, Build 4): one sentence for every wrong credential, growing delays per
 * account and address, a cap per address (30 failures in 15 minutes), and `next` followed only
 * inside the portal.
 */

const invalidCredentials = 'Thư điện tử hoặc mật khẩu không đúng.';
const tooManyAttempts = 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.';

/** The part of the login page that says what went wrong. */
function errorBlock(body: string): string {
  return /<div class="alert alert--error" role="alert">[\s\S]*?<\/div>/.exec(body)?.[0] ?? '';
}

test('an unknown e-mail, a wrong password and a disabled account all get the same sentence, with the e-mail kept and the password not echoed', async (t) => {
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const disabled = await buildUser(testApp.db, { role: 'leader', disabledAt: new Date() });
  const attempts = [
    { why: 'unknown e-mail', email: 'khong-ai-ca@example.gov.vn', password: testPassword },
    { why: 'wrong password', email: officer.email, password: 'Sai-mật-khẩu-rồi-nhé' },
    { why: 'disabled account', email: disabled.email, password: testPassword },
  ];
  const blocks: string[] = [];
  for (const attempt of attempts) {
    const response = await new Agent(testApp.app).post('/login', { email: attempt.email, password: attempt.password });
    assert.equal(response.statusCode, 401, attempt.why);
    assert.match(response.body, new RegExp(invalidCredentials), attempt.why);
    assert.equal(inputValue(response.body, 'email'), attempt.email, `${attempt.why}: e-mail kept`);
    assert.ok(!response.body.includes(attempt.password), `${attempt.why}: password echoed`);
    assert.equal(response.cookies.find((cookie) => cookie.name === 'portal_session'), undefined);
    blocks.push(errorBlock(response.body));
  }
  assert.equal(new Set(blocks).size, 1, 'the three refusals differ');
  assert.equal(await countRows(testApp.db, 'sessions'), 0);
});

test('a successful sign-in writes an audit row with the address, records the time and leads to the dashboard', async (t) => {
  const testApp = await buildTestApp(t);
  const leader = await buildUser(testApp.db, { role: 'leader' });
  const agent = new Agent(testApp.app, '203.0.113.9');
  const response = await agent.post('/login', { email: leader.email.toUpperCase(), password: testPassword });
  assert.equal(response.statusCode, 302, 'the e-mail is matched whatever its case');
  assert.equal(response.headers.location, '/admin');
  assert.equal((await agent.get('/admin')).statusCode, 200);
  const [row] = await auditRows(testApp.db);
  assert.equal(row.action, 'account.sign_in');
  assert.equal(row.actorId, leader.id);
  assert.equal(row.ip, '203.0.113.9');
  const [session] = await sessionRowsOf(testApp.db, leader.id);
  assert.equal(session.ip, '203.0.113.9');
});

test('finding 11: failures from other addresses never lock the owner out; each address waits longer after each failure (429 with a sentence)', async (t) => {
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer' });
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    // Failures from several addresses and in any letter case: no address has failed three times.
    const agent = new Agent(testApp.app, `192.0.2.${attempt}`);
    const email = attempt % 2 ? officer.email : officer.email.toUpperCase();
    assert.equal((await agent.post('/login', { email, password: `Sai-lần-thứ-${attempt}-rồi` })).statusCode, 401, `attempt ${attempt}`);
  }
  const owner = await new Agent(testApp.app, '192.0.2.200').post('/login', { email: officer.email, password: testPassword });
  assert.equal(owner.statusCode, 302, 'the owner, from their own address, still signs in');

  // One address guessing: after its third failure it must wait, even with the right password.
  const guesser = new Agent(testApp.app, '198.51.100.5');
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    assert.equal((await guesser.post('/login', { email: officer.email, password: `Đoán-${attempt}-sai` })).statusCode, 401, `guess ${attempt}`);
  }
  const waiting = await guesser.post('/login', { email: officer.email, password: testPassword });
  assert.equal(waiting.statusCode, 429);
  assert.match(waiting.body, /Vui lòng chờ \d+ giây rồi thử lại\./);
  assert.doesNotMatch(waiting.body, /\{seconds\}/);
});

test('failures older than 15 minutes no longer count against the account', async (t) => {
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const old = new Date(Date.now() - 16 * 60_000);
  await testApp.db.insert(loginFailures).values(Array.from({ length: 10 }, () => ({ email: officer.email, ip: '192.0.2.1', at: old })));
  assert.equal((await new Agent(testApp.app).post('/login', { email: officer.email, password: testPassword })).statusCode, 302);
});

test('after 30 failures from one address in 15 minutes, sign-ins from it are refused whatever the account (429); other addresses are not', async (t) => {
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer' });
  // 30 guesses at 30 different accounts from one address (written directly: the per-minute flood
  // guard of the route would stop 31 real requests first).
  await testApp.db.insert(loginFailures).values(Array.from({ length: 30 }, (_, index) => ({ email: `doan-${index}@example.gov.vn`, ip: '198.51.100.66' })));
  const refused = await new Agent(testApp.app, '198.51.100.66').post('/login', { email: officer.email, password: testPassword });
  assert.equal(refused.statusCode, 429);
  const elsewhere = await new Agent(testApp.app, '198.51.100.67').post('/login', { email: officer.email, password: testPassword });
  assert.equal(elsewhere.statusCode, 302);
  assert.doesNotMatch(refused.body, /\{minutes\}/, 'the sentence shows its {minutes} placeholder unfilled');
  assert.match(refused.body, new RegExp(tooManyAttempts));
});

async function postLoginWithForwardedFor(app: FastifyInstance, remoteAddress: string, forwardedFor: string, form: Record<string, string>) {
  const agent = new Agent(app, remoteAddress);
  await agent.get('/login');
  return app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress,
    cookies: Object.fromEntries(agent.cookies),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor },
    payload: new URLSearchParams({ _csrf: agent.csrfToken ?? '', ...form }).toString(),
  });
}

test('the per-address limit cannot be dodged with a forged X-Forwarded-For header', async (t) => {
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer' });
  await testApp.db.insert(loginFailures).values(Array.from({ length: 30 }, (_, index) => ({ email: `doan-${index}@example.gov.vn`, ip: '198.51.100.66' })));
  const response = await postLoginWithForwardedFor(testApp.app, '198.51.100.66', '10.9.8.7', { email: officer.email, password: testPassword });
  assert.equal(response.statusCode, 429, 'a client chose its own address with X-Forwarded-For');
});

test('a successful sign-in clears the failures of that account', async (t) => {
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer' });
  // Nine failures from this address, long enough ago that its delay is over.
  const earlier = new Date(Date.now() - 14 * 60_000);
  await testApp.db.insert(loginFailures).values(Array.from({ length: 9 }, () => ({ email: officer.email, ip: '127.0.0.1', at: earlier })));
  const agent = new Agent(testApp.app);
  assert.equal((await agent.post('/login', { email: officer.email, password: testPassword })).statusCode, 302);
  assert.equal((await testApp.db.select().from(loginFailures).where(eq(loginFailures.email, officer.email))).length, 0);
  // Two more failures are again free of any delay.
  const other = new Agent(testApp.app);
  for (let attempt = 0; attempt < 2; attempt += 1) await other.post('/login', { email: officer.email, password: 'Sai-mật-khẩu-rồi-nhé' });
  assert.equal((await other.post('/login', { email: officer.email, password: testPassword })).statusCode, 302);
});

test('`next` is followed after sign-in when it is a path of the portal', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const agent = new Agent(testApp.app);
  const gate = await agent.get('/admin/audit?action=agency.create');
  assert.equal(gate.headers.location, '/login?next=%2Fadmin%2Faudit%3Faction%3Dagency.create');
  const form = await agent.get(gate.headers.location as string);
  assert.equal(inputValue(form.body, 'next'), '/admin/audit?action=agency.create', 'the login form keeps next');
  const response = await agent.post('/login', { email: admin.email, password: testPassword, next: '/admin/audit?action=agency.create' });
  assert.equal(response.statusCode, 302);
  assert.equal(response.headers.location, '/admin/audit?action=agency.create');
});

test('`next` never leads outside the portal (no open redirect), at sign-in or when already signed in', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const hostile = ['//evil.example', 'https://evil.example', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)', '//evil.example/admin', ' //evil.example', '/\t/evil.example', 'http:/evil.example'];
  const agent = new Agent(testApp.app);
  const signIn = await agent.post('/login', { email: admin.email, password: testPassword, next: '//evil.example' });
  assert.equal(signIn.headers.location, '/admin');
  // GET /login of a signed-in person follows `next` by the same rule: every variant, one sign-in.
  for (const next of hostile) {
    const response = await agent.get(`/login?next=${encodeURIComponent(next)}`);
    // A control character (the tab) is refused before any route: no redirect at all.
    if (/\p{Cc}/u.test(next)) {
      assert.equal(response.statusCode, 400, JSON.stringify(next));
      continue;
    }
    assert.equal(response.statusCode, 302, JSON.stringify(next));
    assert.equal(response.headers.location, '/admin', `next=${JSON.stringify(next)} led to ${response.headers.location}`);
  }
});

test('a sign-in form with a missing e-mail or password is answered on the form, without counting as a failure', async (t) => {
  const testApp = await buildTestApp(t);
  const response = await new Agent(testApp.app).post('/login', { email: 'ai-do@example.gov.vn', password: '' });
  assert.equal(response.statusCode, 422);
  assert.match(response.body, /Vui lòng điền mục này\./);
  assert.equal(await countRows(testApp.db, 'login_failures'), 0);
});
