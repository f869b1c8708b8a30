import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildAgency, buildUser, testPassword } from '../../helpers/factories.ts';
import { agentFor, auditRows, countRows, sessionRowsOf, settingsForm, strongPassword, userById } from '../accounts/support.ts';

/*
 * CSRF (issue 3, Build 5): every state-changing form carries a token; a POST without it, or with a
 * wrong one, is refused with 403 and changes nothing.
 */

const csrfSentence = /Biểu mẫu đã hết hạn hoặc không hợp lệ\. Vui lòng tải lại trang và gửi lại\./;

test('DOIT actions without a CSRF token, or with a wrong one, are refused (403) and change nothing', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const agency = await buildAgency(testApp.db, { name: 'Sở Xây dựng' });
  const officer = await buildUser(testApp.db, { role: 'officer', agency });
  const actions: Array<[string, Record<string, string>]> = [
    ['/admin/agencies', { name: 'Sở Nội vụ', kind: 'department' }],
    [`/admin/agencies/${agency.id}`, { name: 'Sở Xây dựng (sửa)', kind: 'department', slug: agency.slug }],
    [`/admin/agencies/${agency.id}/deactivate`, {}],
    ['/admin/accounts', { email: 'moi@example.gov.vn', displayName: 'Mới', role: 'admin', password: strongPassword }],
    [`/admin/accounts/${officer.id}/disable`, {}],
    [`/admin/accounts/${officer.id}/reset-password`, {}],
    ['/admin/settings', settingsForm({ portalTitleVi: 'Tên giả mạo' })],
  ];
  const doit = await agentFor(testApp, admin);
  const validToken = doit.csrfToken as string;
  for (const [url, form] of actions) {
    const missing = await doit.post(url, form, { csrf: false });
    assert.equal(missing.statusCode, 403, `POST ${url} without a token`);
    assert.match(missing.body, csrfSentence, url);
    const wrong = await doit.post(url, { ...form, _csrf: `${validToken.slice(0, -4)}AAAA` }, { csrf: false });
    assert.equal(wrong.statusCode, 403, `POST ${url} with a wrong token`);
  }
  // A valid token of another browser (another CSRF secret) is no better.
  const stranger = new Agent(testApp.app);
  await stranger.get('/login');
  for (const [url, form] of actions) {
    const foreign = await doit.post(url, { ...form, _csrf: stranger.csrfToken as string }, { csrf: false });
    assert.equal(foreign.statusCode, 403, `POST ${url} with another browser's token`);
  }

  // Each refusal is recorded as such (audit-readable.test.ts); no change was.
  assert.deepEqual(new Set((await auditRows(testApp.db)).map((row) => row.action)), new Set(['access.refused']));
  assert.equal(await countRows(testApp.db, 'agencies'), 1);
  assert.equal(await countRows(testApp.db, 'users'), 2);
  assert.equal(await countRows(testApp.db, 'settings'), 0);
  const after = await userById(testApp.db, officer.id);
  assert.equal(after.disabledAt, null);
  assert.equal(after.passwordHash, officer.passwordHash);
});

test('the login form is protected too: a sign-in without the token is refused and opens no session', async (t) => {
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const agent = new Agent(testApp.app);
  const response = await agent.post('/login', { email: officer.email, password: testPassword }, { csrf: false });
  assert.equal(response.statusCode, 403);
  assert.match(response.body, csrfSentence);
  assert.equal(await countRows(testApp.db, 'sessions'), 0);
  assert.equal(await countRows(testApp.db, 'login_failures'), 0);
  assert.equal((await auditRows(testApp.db)).length, 0);
});

test('sign-out without the token is refused and the session goes on', async (t) => {
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const agent = await agentFor(testApp, officer);
  assert.equal((await agent.post('/logout', {}, { csrf: false })).statusCode, 403);
  assert.equal((await sessionRowsOf(testApp.db, officer.id)).length, 1);
  assert.equal((await agent.get('/admin')).statusCode, 200);
});

test('changing one’s password without the token is refused and the password stays', async (t) => {
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const agent = await agentFor(testApp, officer);
  const response = await agent.post('/account/password', { currentPassword: testPassword, newPassword: strongPassword, confirmPassword: strongPassword }, { csrf: false });
  assert.equal(response.statusCode, 403);
  assert.equal((await userById(testApp.db, officer.id)).passwordHash, officer.passwordHash);
});

test('a one-time reset link posted without the token is refused and stays usable', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const page = await (await agentFor(testApp, admin)).post(`/admin/accounts/${officer.id}/reset-password`);
  const path = new URL(/id="reset-link"[^>]*value="([^"]+)"/.exec(page.body)?.[1] as string).pathname;
  const visitor = new Agent(testApp.app);
  assert.equal((await visitor.post(path, { newPassword: strongPassword, confirmPassword: strongPassword }, { csrf: false })).statusCode, 403);
  assert.equal((await visitor.get(path)).statusCode, 200);
});

test('the CSRF token is also accepted in an X-CSRF-Token header', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const agent = await agentFor(testApp, admin);
  const response = await testApp.app.inject({
    method: 'POST',
    url: '/admin/agencies',
    cookies: Object.fromEntries(agent.cookies),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': agent.csrfToken as string },
    payload: new URLSearchParams({ name: 'Sở Nội vụ', kind: 'department' }).toString(),
  });
  assert.equal(response.statusCode, 302);
  assert.equal(await countRows(testApp.db, 'agencies'), 1);
});
