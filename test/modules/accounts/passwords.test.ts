import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { passwordResets, users } from '../../../src/modules/accounts/accounts.table.ts';
import { passwordProblem } from '../../../src/modules/accounts/passwords.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildAgency, buildUser, testPassword } from '../../helpers/factories.ts';
import { agentFor, auditRows, countRows, fieldError, inputValue, otherStrongPassword, sessionRowsOf, strongPassword, unescapeHtml, userById } from './support.ts';

/*
 * Passwords (issue 3, Build 3): argon2id, 12 to 128 characters, not a common password, not the
 * e-mail's name; DOIT's initial password must be changed at the first sign-in; DOIT resets with a
 * one-time link.
 */

const weakPasswords = [
  { why: 'too short', password: 'Ngắn-quá-1', sentence: 'Mật khẩu phải có ít nhất 12 ký tự.' },
  { why: 'too long', password: `${'Dài-quá-'.repeat(16)}x`, sentence: 'Mật khẩu không được dài quá 128 ký tự.' },
  { why: 'common', password: 'password1234', sentence: 'Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.' },
  { why: 'containing the e-mail name', password: 'nguyenvanbinh-1990!', sentence: 'Mật khẩu không được chứa tên trong địa chỉ thư của bạn.' },
];

test('a password is stored as argon2id with at least the OWASP parameters (m ≥ 19 MiB, t ≥ 2)', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const agency = await buildAgency(testApp.db);
  const doit = await agentFor(testApp, admin);
  const response = await doit.post('/admin/accounts', { email: 'can-bo@example.gov.vn', displayName: 'Cán bộ', role: 'officer', agencyId: agency.id, password: strongPassword });
  assert.equal(response.statusCode, 302);
  const [user] = await testApp.db.select().from(users).where(eq(users.email, 'can-bo@example.gov.vn'));
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(user.passwordHash);
  assert.ok(match, `hash ${user.passwordHash.slice(0, 30)}… is not argon2id`);
  assert.ok(Number(match[1]) >= 19_456, `memory ${match[1]} KiB`);
  assert.ok(Number(match[2]) >= 2, `iterations ${match[2]}`);
  assert.ok(!user.passwordHash.includes(strongPassword));
});

test('DOIT choosing a weak initial password gets a Vietnamese sentence next to the password field, the other values kept and the password not echoed', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const agency = await buildAgency(testApp.db);
  const doit = await agentFor(testApp, admin);
  for (const weak of weakPasswords) {
    const response = await doit.post('/admin/accounts', {
      email: 'nguyenvanbinh@example.gov.vn',
      displayName: 'Nguyễn Văn Bình',
      role: 'leader',
      agencyId: agency.id,
      password: weak.password,
    });
    assert.equal(response.statusCode, 422, weak.why);
    assert.equal(fieldError(response.body, 'password'), weak.sentence, weak.why);
    assert.equal(inputValue(response.body, 'email'), 'nguyenvanbinh@example.gov.vn', `${weak.why}: e-mail kept`);
    assert.equal(unescapeHtml(inputValue(response.body, 'displayName') ?? ''), 'Nguyễn Văn Bình', `${weak.why}: name kept`);
    assert.match(response.body, /<option value="leader" selected>/, `${weak.why}: role kept`);
    assert.match(response.body, new RegExp(`<option value="${agency.id}" selected>`), `${weak.why}: agency kept`);
    assert.ok(!response.body.includes(weak.password), `${weak.why}: the password is echoed back`);
  }
  assert.equal(await countRows(testApp.db, 'users'), 1, 'no account was created');
  assert.equal((await auditRows(testApp.db)).length, 0);
});

test('changing one’s password to a weak one gets a Vietnamese sentence next to the new password field and the password is not echoed', async (t) => {
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer', email: 'nguyenvanbinh@example.gov.vn' });
  const agent = await agentFor(testApp, officer);
  for (const weak of weakPasswords) {
    const response = await agent.post('/account/password', { currentPassword: testPassword, newPassword: weak.password, confirmPassword: weak.password });
    assert.equal(response.statusCode, 422, weak.why);
    assert.equal(fieldError(response.body, 'newPassword'), weak.sentence, weak.why);
    assert.ok(!response.body.includes(weak.password), `${weak.why}: the password is echoed back`);
    assert.ok(!response.body.includes(testPassword), `${weak.why}: the current password is echoed back`);
  }
  assert.equal((await userById(testApp.db, officer.id)).passwordHash, officer.passwordHash);
});

test('a wrong current password, a new password equal to the current one, or two different new passwords each get their sentence on their field', async (t) => {
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const agent = await agentFor(testApp, officer);
  const cases = [
    { form: { currentPassword: 'Không-phải-mật-khẩu-này', newPassword: strongPassword, confirmPassword: strongPassword }, field: 'currentPassword', sentence: 'Mật khẩu hiện tại không đúng.' },
    { form: { currentPassword: testPassword, newPassword: testPassword, confirmPassword: testPassword }, field: 'newPassword', sentence: 'Mật khẩu mới phải khác mật khẩu hiện tại.' },
    { form: { currentPassword: testPassword, newPassword: strongPassword, confirmPassword: otherStrongPassword }, field: 'confirmPassword', sentence: 'Hai mật khẩu mới không giống nhau.' },
  ];
  for (const { form, field, sentence } of cases) {
    const response = await agent.post('/account/password', form);
    assert.equal(response.statusCode, 422, field);
    assert.equal(fieldError(response.body, field), sentence, field);
  }
});

test('the length rule counts characters, not UTF-16 code units: six emoji are too short', async () => {
  // Each of these is one character but two UTF-16 code units.
  assert.equal(await passwordProblem('🔑🌾🏯🐉🌊🎋'), 'accounts.password_too_short');
});

test('changing one’s password ends one’s other sessions and keeps the current one', async (t) => {
  const testApp = await buildTestApp(t);
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const laptop = await agentFor(testApp, officer, '192.0.2.20');
  const phone = await agentFor(testApp, officer);
  const response = await laptop.post('/account/password', { currentPassword: testPassword, newPassword: strongPassword, confirmPassword: strongPassword });
  assert.equal(response.statusCode, 302);
  assert.equal(response.headers.location, '/admin');
  const dashboard = await laptop.get('/admin');
  assert.equal(dashboard.statusCode, 200, 'the current session goes on');
  assert.match(dashboard.body, /Đã đổi mật khẩu\. Các phiên đăng nhập khác của bạn đã kết thúc\./);
  assert.equal((await phone.get('/admin')).statusCode, 302, 'the other session has ended');
  assert.equal((await sessionRowsOf(testApp.db, officer.id)).length, 1);

  assert.equal((await new Agent(testApp.app).post('/login', { email: officer.email, password: testPassword })).statusCode, 401, 'the old password still works');
  assert.equal((await new Agent(testApp.app).post('/login', { email: officer.email, password: strongPassword })).statusCode, 302);
  const audit = (await auditRows(testApp.db)).filter((row) => row.action === 'account.change_password');
  assert.deepEqual(audit.map((row) => [row.actorId, row.objectId, row.ip]), [[officer.id, officer.id, '192.0.2.20']]);
});

test('the first sign-in with a password set by DOIT forces a change: every /admin page redirects to /account/password until it is done', async (t) => {
  const testApp = await buildTestApp(t);
  const agency = await buildAgency(testApp.db);
  // A DOIT account created by another DOIT account sees the most pages, so the gate is tested on all of them.
  const newAdmin = await buildUser(testApp.db, { role: 'admin', mustChangePassword: true });
  await buildUser(testApp.db, { role: 'officer', agency });
  const agent = new Agent(testApp.app);
  const signIn = await agent.post('/login', { email: newAdmin.email, password: testPassword, next: '/admin/settings' });
  assert.equal(signIn.statusCode, 302);
  assert.equal(signIn.headers.location, '/account/password');

  for (const url of ['/admin', '/admin/agencies', '/admin/agencies/new', `/admin/agencies/${agency.id}/edit`, '/admin/accounts', '/admin/accounts/new', '/admin/audit', '/admin/settings', '/account']) {
    const response = await agent.get(url);
    assert.equal(response.statusCode, 302, url);
    assert.equal(response.headers.location, '/account/password', url);
  }
  const post = await agent.post('/admin/agencies', { name: 'Sở Công Thương', kind: 'department' });
  assert.equal(post.statusCode, 403, 'a back-office action before the change');
  assert.equal(await countRows(testApp.db, 'agencies'), 1);

  const page = await agent.get('/account/password');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Mật khẩu của bạn do Sở TT&amp;TT cấp: hãy đặt mật khẩu mới trước khi tiếp tục\./);

  const change = await agent.post('/account/password', { currentPassword: testPassword, newPassword: strongPassword, confirmPassword: strongPassword });
  assert.equal(change.statusCode, 302);
  assert.equal((await agent.get('/admin/settings')).statusCode, 200);
  assert.equal((await userById(testApp.db, newAdmin.id)).mustChangePassword, false);
});

test('an account DOIT creates must change its password at the first sign-in', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const agency = await buildAgency(testApp.db);
  const doit = await agentFor(testApp, admin);
  await doit.post('/admin/accounts', { email: 'lanh-dao@example.gov.vn', displayName: 'Lãnh đạo', role: 'leader', agencyId: agency.id, password: strongPassword });
  const response = await new Agent(testApp.app).post('/login', { email: 'lanh-dao@example.gov.vn', password: strongPassword });
  assert.equal(response.statusCode, 302);
  assert.equal(response.headers.location, '/account/password');
});

async function resetBy(doit: Agent, userId: string) {
  const response = await doit.post(`/admin/accounts/${userId}/reset-password`);
  assert.equal(response.statusCode, 200);
  const link = unescapeHtml(/id="reset-link"[^>]*value="([^"]+)"/.exec(response.body)?.[1] ?? '');
  assert.match(link, /\/reset-password\/[A-Za-z0-9_-]{40,}$/);
  return { response, path: new URL(link).pathname };
}

test('a DOIT reset: the old password stops working, every session ends, and the one-time link works once', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const officerSession = await agentFor(testApp, officer);
  const doit = await agentFor(testApp, admin, '198.51.100.5');
  const { response, path } = await resetBy(doit, officer.id);
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.match(response.body, new RegExp(`Mật khẩu cũ của ${officer.email.replace(/\./g, '\\.')} đã bị vô hiệu`));
  const token = path.split('/').pop() as string;
  const stored = await testApp.db.select().from(passwordResets);
  assert.equal(stored.length, 1);
  assert.notEqual(stored[0].tokenHash, token, 'only the hash of the link is stored');

  assert.equal((await officerSession.get('/admin')).statusCode, 302, 'the session from before the reset still works');
  assert.equal((await sessionRowsOf(testApp.db, officer.id)).length, 0);
  assert.equal((await new Agent(testApp.app).post('/login', { email: officer.email, password: testPassword })).statusCode, 401, 'the old password still works');

  const visitor = new Agent(testApp.app);
  const form = await visitor.get(path);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, new RegExp(officer.email.replace(/\./g, '\\.')));
  const weak = await visitor.post(path, { newPassword: 'password1234', confirmPassword: 'password1234' });
  assert.equal(weak.statusCode, 422);
  assert.equal(fieldError(weak.body, 'newPassword'), 'Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.');
  const done = await visitor.post(path, { newPassword: strongPassword, confirmPassword: strongPassword });
  assert.equal(done.statusCode, 302);
  assert.equal(done.headers.location, '/login');

  const signIn = await new Agent(testApp.app).post('/login', { email: officer.email, password: strongPassword });
  assert.equal(signIn.statusCode, 302);
  assert.equal(signIn.headers.location, '/admin', 'no second forced change after choosing one’s own password');

  const again = await new Agent(testApp.app).get(path);
  assert.equal(again.statusCode, 410, 'the link works a second time');
  assert.match(again.body, /Liên kết đặt lại mật khẩu không hợp lệ, đã được dùng hoặc đã hết hạn/);
  const reuse = await visitor.post(path, { newPassword: otherStrongPassword, confirmPassword: otherStrongPassword });
  assert.equal(reuse.statusCode, 410);
  assert.equal((await new Agent(testApp.app).post('/login', { email: officer.email, password: otherStrongPassword })).statusCode, 401);

  const actions = (await auditRows(testApp.db)).map((row) => row.action).filter((action) => action !== 'account.sign_in');
  assert.deepEqual(actions, ['account.reset_password', 'account.complete_reset']);
});

test('a reset link expires after its time and answers 410 with a sentence', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const { path } = await resetBy(await agentFor(testApp, admin), officer.id);
  const [row] = await testApp.db.select().from(passwordResets);
  assert.ok(row.expiresAt.getTime() > Date.now() + 24 * 3_600_000, 'valid for at least a day');
  await testApp.db.update(passwordResets).set({ expiresAt: new Date(Date.now() - 60_000) });
  const visitor = new Agent(testApp.app);
  const response = await visitor.get(path);
  assert.equal(response.statusCode, 410);
  assert.match(response.body, /Liên kết đặt lại mật khẩu không hợp lệ, đã được dùng hoặc đã hết hạn\. Vui lòng liên hệ Sở TT&amp;TT/);
  const post = await visitor.post(path, { newPassword: strongPassword, confirmPassword: strongPassword });
  assert.equal(post.statusCode, 410);
});

test('an invalid reset link answers 410 with a sentence', async (t) => {
  const testApp = await buildTestApp(t);
  const response = await testApp.app.inject({ method: 'GET', url: '/reset-password/khong-co-lien-ket-nay' });
  assert.equal(response.statusCode, 410);
  assert.match(response.body, /Liên kết đặt lại mật khẩu không hợp lệ/);
  assert.doesNotMatch(response.body, /name="newPassword"/);
});

test('a second reset makes the first link worthless', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const doit = await agentFor(testApp, admin);
  const first = await resetBy(doit, officer.id);
  const second = await resetBy(doit, officer.id);
  assert.equal((await new Agent(testApp.app).get(first.path)).statusCode, 410);
  assert.equal((await new Agent(testApp.app).get(second.path)).statusCode, 200);
});

test('a reset link of an account disabled since does not work', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const officer = await buildUser(testApp.db, { role: 'officer' });
  const { path } = await resetBy(await agentFor(testApp, admin), officer.id);
  await testApp.db.execute(sql`update users set disabled_at = now() where id = ${officer.id}`);
  assert.equal((await new Agent(testApp.app).get(path)).statusCode, 410);
});
