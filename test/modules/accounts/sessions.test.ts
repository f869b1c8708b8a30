import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { sessions } from '../../../src/modules/sessions/sessions.table.ts';
import { validateSessionToken } from '../../../src/modules/sessions/sessions.service.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildUser, testPassword } from '../../helpers/factories.ts';
import { agentFor, auditRows, query, rawSetCookie, sessionRowsOf, setCookie, sha256Hex } from './support.ts';

/*
 * Sessions as the Lucia guide describes them (issue 3, Build 2): a random token in an HttpOnly,
 * SameSite=Lax cookie, only its SHA-256 in the database, idle and absolute expiry, a new session
 * at every sign-in, and every session of an account ended when DOIT disables it.
 */

test('each sign-in opens a new session with a new token, and the token from before no longer works (session rotation)', async (t) => {
  const testApp = await buildTestApp(t);
  const user = await buildUser(testApp.db, { role: 'officer' });
  const agent = new Agent(testApp.app);
  const first = setCookie(await agent.signIn(user.email, testPassword), 'portal_session')?.value;
  assert.ok(first, 'the first sign-in sets a session cookie');

  const second = setCookie(await agent.post('/login', { email: user.email, password: testPassword }), 'portal_session')?.value;
  assert.ok(second, 'the second sign-in sets a session cookie');
  assert.notEqual(second, first, 'the token after the second sign-in differs from the one before');

  const stale = new Agent(testApp.app);
  stale.cookies.set('portal_session', first);
  const response = await stale.get('/admin');
  assert.equal(response.statusCode, 302, 'the session from before the second sign-in still opens the back office');
  assert.match(response.headers.location as string, /^\/login/);
  assert.equal((await sessionRowsOf(testApp.db, user.id)).length, 1, 'only the newest session is left');
});

test('a session token planted in the browser before sign-in is replaced and never becomes valid (no session fixation)', async (t) => {
  const testApp = await buildTestApp(t);
  const user = await buildUser(testApp.db, { role: 'leader' });
  const agent = new Agent(testApp.app);
  const planted = 'abcdefghijklmnopqrstuvwxyz234567';
  agent.cookies.set('portal_session', planted);
  const issued = setCookie(await agent.signIn(user.email, testPassword), 'portal_session')?.value;
  assert.ok(issued);
  assert.notEqual(issued, planted);
  const rows = await sessionRowsOf(testApp.db, user.id);
  assert.deepEqual(rows.map((row) => row.id), [sha256Hex(issued)]);
  assert.equal(await validateSessionToken(testApp.db, planted, testApp.app.sessionPolicy), null);
});

test('only the SHA-256 of the session token is stored; the token itself is 160 random bits and appears nowhere in the sessions table', async (t) => {
  const testApp = await buildTestApp(t);
  const user = await buildUser(testApp.db, { role: 'admin' });
  const agent = new Agent(testApp.app);
  const token = setCookie(await agent.signIn(user.email, testPassword), 'portal_session')?.value as string;
  assert.match(token, /^[a-z2-7]{32}$/, 'base32 of 20 random bytes');
  const rows = await query<Record<string, unknown>>(testApp.db, sql`select * from sessions`);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].id, sha256Hex(token));
  for (const [column, value] of Object.entries(rows[0])) {
    assert.ok(!String(value).includes(token), `the raw token is stored in sessions.${column}`);
  }
});

test('the session cookie is HttpOnly, SameSite=Lax and path /, and is not Secure on plain http', async (t) => {
  const testApp = await buildTestApp(t);
  const user = await buildUser(testApp.db, { role: 'officer' });
  const response = await new Agent(testApp.app).signIn(user.email, testPassword);
  const cookie = setCookie(response, 'portal_session');
  assert.ok(cookie, 'cookie named portal_session');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
  assert.equal(cookie.path, '/');
  assert.ok(!cookie.secure);
  assert.equal(cookie.domain, undefined);
});

test('with an https BASE_URL the session and CSRF cookies are Secure and named __Host-…', async (t) => {
  const testApp = await buildTestApp(t, { BASE_URL: 'https://data.binhdinh.gov.vn' });
  const user = await buildUser(testApp.db, { role: 'officer' });
  const agent = new Agent(testApp.app);
  const loginPage = await agent.get('/login');
  const csrf = rawSetCookie(loginPage, '__Host-portal_csrf');
  assert.ok(csrf, `CSRF cookie: ${loginPage.headers['set-cookie']}`);
  assert.match(csrf, /; Secure/i);
  assert.match(csrf, /; Path=\//i);
  assert.doesNotMatch(csrf, /; Domain=/i);

  const response = await agent.signIn(user.email, testPassword);
  const session = rawSetCookie(response, '__Host-portal_session');
  assert.ok(session, `session cookie: ${response.headers['set-cookie']}`);
  assert.match(session, /; Secure/i);
  assert.match(session, /; HttpOnly/i);
  assert.match(session, /; SameSite=Lax/i);
  assert.match(session, /; Path=\//i);
  assert.doesNotMatch(session, /; Domain=/i);
  assert.equal(rawSetCookie(response, 'portal_session'), undefined, 'no cookie without the prefix');
  assert.equal((await agent.get('/admin')).statusCode, 200, 'the prefixed cookie opens the back office');
});

test('a session idle for longer than SESSION_IDLE_MINUTES ends: the next request goes to /login and the row is deleted', async (t) => {
  const testApp = await buildTestApp(t);
  const user = await buildUser(testApp.db, { role: 'officer' });
  const agent = await agentFor(testApp, user);
  // Thirty-one minutes without a request (default idle limit: 30).
  await testApp.db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) }).where(eq(sessions.userId, user.id));
  const response = await agent.get('/admin');
  assert.equal(response.statusCode, 302);
  assert.equal(response.headers.location, '/login?next=%2Fadmin');
  assert.ok(rawSetCookie(response, 'portal_session'), 'the dead cookie is cleared');
  assert.equal((await sessionRowsOf(testApp.db, user.id)).length, 0);
});

test('activity within the idle limit keeps the session and moves its last-seen time forward', async (t) => {
  const testApp = await buildTestApp(t);
  const user = await buildUser(testApp.db, { role: 'officer' });
  const agent = await agentFor(testApp, user);
  const before = new Date(Date.now() - 29 * 60_000);
  await testApp.db.update(sessions).set({ lastSeenAt: before }).where(eq(sessions.userId, user.id));
  assert.equal((await agent.get('/admin')).statusCode, 200);
  const [row] = await sessionRowsOf(testApp.db, user.id);
  assert.ok(row.lastSeenAt > before, 'last_seen_at was refreshed');
});

test('the idle limit follows SESSION_IDLE_MINUTES', async (t) => {
  const testApp = await buildTestApp(t, { SESSION_IDLE_MINUTES: '5' });
  const user = await buildUser(testApp.db, { role: 'leader' });
  const kept = await agentFor(testApp, user);
  const ended = await agentFor(testApp, user);
  await testApp.db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 4 * 60_000) }).where(eq(sessions.id, sha256Hex(kept.sessionToken)));
  await testApp.db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 6 * 60_000) }).where(eq(sessions.id, sha256Hex(ended.sessionToken)));
  assert.equal((await kept.get('/admin')).statusCode, 200, 'four idle minutes of five');
  assert.equal((await ended.get('/admin')).statusCode, 302, 'six idle minutes of five');
});

test('a session ends at its absolute expiry however active it is, and SESSION_ABSOLUTE_HOURS sets that expiry', async (t) => {
  const testApp = await buildTestApp(t, { SESSION_ABSOLUTE_HOURS: '2' });
  const user = await buildUser(testApp.db, { role: 'officer' });
  const response = await new Agent(testApp.app).signIn(user.email, testPassword);
  const [row] = await sessionRowsOf(testApp.db, user.id);
  assert.equal(row.expiresAt.getTime() - row.createdAt.getTime(), 2 * 3_600_000, 'expires two hours after sign-in');
  const cookie = setCookie(response, 'portal_session');
  assert.ok(cookie, 'the session cookie is set');
  assert.equal(cookie.expires, undefined, 'the cookie ends with the browser session; the server keeps the absolute end');

  // Active a moment ago, but past its absolute end.
  const agent = new Agent(testApp.app);
  agent.cookies.set('portal_session', cookie.value);
  await testApp.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1_000), lastSeenAt: new Date() }).where(eq(sessions.id, row.id));
  const after = await agent.get('/admin');
  assert.equal(after.statusCode, 302);
  assert.match(after.headers.location as string, /^\/login/);
  assert.equal((await sessionRowsOf(testApp.db, user.id)).length, 0);
});

test('validateSessionToken refuses a session after its idle limit and after its absolute end', async (t) => {
  const testApp = await buildTestApp(t);
  const user = await buildUser(testApp.db, { role: 'officer' });
  const policy = { idleMinutes: 30, absoluteHours: 12 };
  const idle = await agentFor(testApp, user);
  assert.ok(await validateSessionToken(testApp.db, idle.sessionToken, policy, new Date(Date.now() + 29 * 60_000)));
  assert.equal(await validateSessionToken(testApp.db, idle.sessionToken, policy, new Date(Date.now() + 29 * 60_000 + 31 * 60_000)), null);

  // Kept busy every 20 minutes, still over after twelve hours.
  const busy = await agentFor(testApp, user);
  let now = Date.now();
  for (let step = 0; step < 35; step += 1) {
    now += 20 * 60_000;
    assert.ok(await validateSessionToken(testApp.db, busy.sessionToken, policy, new Date(now)), `step ${step}`);
  }
  now += 20 * 60_000;
  assert.equal(await validateSessionToken(testApp.db, busy.sessionToken, policy, new Date(now)), null, 'past twelve hours');
});

test('signing out (POST /logout) ends the session: the cookie is cleared and the old token no longer works', async (t) => {
  const testApp = await buildTestApp(t);
  const user = await buildUser(testApp.db, { role: 'leader' });
  const agent = await agentFor(testApp, user, '192.0.2.10');
  const token = agent.sessionToken;
  const response = await agent.post('/logout');
  assert.equal(response.statusCode, 302);
  assert.equal(response.headers.location, '/login');
  assert.ok(rawSetCookie(response, 'portal_session'), 'the cookie is cleared');
  assert.equal((await sessionRowsOf(testApp.db, user.id)).length, 0);
  assert.match((await agent.get('/login')).body, /Bạn đã đăng xuất\./);

  const replay = new Agent(testApp.app);
  replay.cookies.set('portal_session', token);
  assert.equal((await replay.get('/admin')).statusCode, 302, 'the old token still opens the back office');
  const audit = await auditRows(testApp.db);
  assert.deepEqual(audit.map((row) => [row.action, row.actorId, row.ip]), [['account.sign_out', user.id, '192.0.2.10']]);
});

test('signing out ends only the session it is made from', async (t) => {
  const testApp = await buildTestApp(t);
  const user = await buildUser(testApp.db, { role: 'officer' });
  const laptop = await agentFor(testApp, user);
  const phone = await agentFor(testApp, user);
  await laptop.post('/logout');
  assert.equal((await phone.get('/admin')).statusCode, 200);
});

test("a signed-out GET of /logout changes nothing (sign-out is POST only)", async (t) => {
  const testApp = await buildTestApp(t);
  const user = await buildUser(testApp.db, { role: 'officer' });
  const agent = await agentFor(testApp, user);
  const response = await agent.get('/logout');
  assert.equal(response.statusCode, 404);
  assert.equal((await agent.get('/admin')).statusCode, 200);
});

test("DOIT disabling an account ends all of that account's sessions at once", async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const laptop = await agentFor(testApp, officer);
  const phone = await agentFor(testApp, officer);
  const doit = await agentFor(testApp, admin);
  const response = await doit.post(`/admin/accounts/${officer.id}/disable`);
  assert.equal(response.statusCode, 302);
  assert.equal((await sessionRowsOf(testApp.db, officer.id)).length, 0);
  for (const agent of [laptop, phone]) {
    const page = await agent.get('/admin');
    assert.equal(page.statusCode, 302);
    assert.match(page.headers.location as string, /^\/login/);
  }
  assert.match((await doit.get('/admin/accounts')).body, /Đã khóa tài khoản/);
});

test('an account disabled behind the back office (directly in the database) is refused at its next request', async (t) => {
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const agent = await agentFor(testApp, officer);
  await testApp.db.execute(sql`update users set disabled_at = now() where id = ${officer.id}`);
  assert.equal((await agent.get('/admin')).statusCode, 302);
});

test('DOIT cannot disable their own account', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const agent = await agentFor(testApp, admin);
  const response = await agent.post(`/admin/accounts/${admin.id}/disable`);
  assert.equal(response.statusCode, 302);
  assert.match((await agent.get('/admin/accounts')).body, /Bạn không thể tự khóa tài khoản của mình\./);
  assert.equal((await agent.get('/admin')).statusCode, 200);
});
