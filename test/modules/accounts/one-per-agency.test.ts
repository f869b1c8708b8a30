import assert from 'node:assert/strict';
import { test } from 'node:test';
import { and, eq, isNull } from 'drizzle-orm';
import { users } from '../../../src/modules/accounts/accounts.table.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { buildAgency, buildUser } from '../../helpers/factories.ts';
import { agentFor, auditRows, countRows, fieldError, inputValue, settingsForm, strongPassword, unescapeHtml, userById } from './support.ts';

/*
 * 782 Art. 5.2: DOIT issues one officer account and one leader account per agency. The rule holds
 * by default; DOIT may switch it off in the settings. E-mails are unique whatever their case.
 */

const hasOfficer = 'Cơ quan này đã có một tài khoản cán bộ đầu mối đang hoạt động (mỗi cơ quan một tài khoản, Điều 5 Quy chế). Hãy khóa tài khoản cũ hoặc đổi cài đặt.';
const hasLeader = 'Cơ quan này đã có một tài khoản lãnh đạo duyệt đang hoạt động (mỗi cơ quan một tài khoản, Điều 5 Quy chế). Hãy khóa tài khoản cũ hoặc đổi cài đặt.';

async function setup(testApp: TestApp) {
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const agency = await buildAgency(testApp.db, { name: 'Sở Nông nghiệp và Phát triển nông thôn' });
  const doit = await agentFor(testApp, admin);
  return { admin, agency, doit };
}

function accountForm(agencyId: string, role: string, email: string) {
  return { email, displayName: 'Trần Thị Lan', role, agencyId, password: strongPassword };
}

async function enabledOf(testApp: TestApp, agencyId: string, role: 'officer' | 'leader') {
  return testApp.db
    .select()
    .from(users)
    .where(and(eq(users.agencyId, agencyId), eq(users.role, role), isNull(users.disabledAt)));
}

test('DOIT issues one officer and one leader per agency by default (782 Art. 5.2)', async (t) => {
  const testApp = await buildTestApp(t);
  const { agency, doit } = await setup(testApp);
  assert.equal((await doit.post('/admin/accounts', accountForm(agency.id, 'officer', 'can-bo@example.gov.vn'))).statusCode, 302);
  assert.equal((await doit.post('/admin/accounts', accountForm(agency.id, 'leader', 'lanh-dao@example.gov.vn'))).statusCode, 302);
  assert.equal((await enabledOf(testApp, agency.id, 'officer')).length, 1);
  assert.equal((await enabledOf(testApp, agency.id, 'leader')).length, 1);
});

test('a second enabled officer for an agency is refused with the sentence on the role field, the values kept, and no audit row', async (t) => {
  const testApp = await buildTestApp(t);
  const { agency, doit } = await setup(testApp);
  await buildUser(testApp.db, { role: 'officer', agency });
  const response = await doit.post('/admin/accounts', accountForm(agency.id, 'officer', 'can-bo-thu-hai@example.gov.vn'));
  assert.equal(response.statusCode, 422);
  assert.equal(unescapeHtml(fieldError(response.body, 'role') ?? ''), hasOfficer);
  assert.equal(inputValue(response.body, 'email'), 'can-bo-thu-hai@example.gov.vn');
  assert.match(response.body, /<option value="officer" selected>/);
  assert.ok(!response.body.includes(strongPassword), 'the password is echoed back');
  assert.equal((await enabledOf(testApp, agency.id, 'officer')).length, 1);
  assert.equal((await auditRows(testApp.db)).length, 0);
});

test('a second enabled leader for an agency is refused with the sentence on the role field', async (t) => {
  const testApp = await buildTestApp(t);
  const { agency, doit } = await setup(testApp);
  await buildUser(testApp.db, { role: 'leader', agency });
  const response = await doit.post('/admin/accounts', accountForm(agency.id, 'leader', 'lanh-dao-thu-hai@example.gov.vn'));
  assert.equal(response.statusCode, 422);
  assert.equal(unescapeHtml(fieldError(response.body, 'role') ?? ''), hasLeader);
  assert.equal((await enabledOf(testApp, agency.id, 'leader')).length, 1);
});

test('a disabled officer does not count: DOIT disables the old officer, then issues a new one', async (t) => {
  const testApp = await buildTestApp(t);
  const { agency, doit } = await setup(testApp);
  const old = await buildUser(testApp.db, { role: 'officer', agency });
  assert.equal((await doit.post(`/admin/accounts/${old.id}/disable`)).statusCode, 302);
  assert.equal((await doit.post('/admin/accounts', accountForm(agency.id, 'officer', 'can-bo-moi@example.gov.vn'))).statusCode, 302);
  assert.equal((await enabledOf(testApp, agency.id, 'officer')).length, 1);
});

test('a second officer is allowed after DOIT unticks the one-per-agency setting in /admin/settings', async (t) => {
  const testApp = await buildTestApp(t);
  const { agency, doit } = await setup(testApp);
  await buildUser(testApp.db, { role: 'officer', agency });
  const form = await doit.get('/admin/accounts/new');
  assert.match(form.body, /mỗi cơ quan có một tài khoản cán bộ đầu mối và một tài khoản lãnh đạo duyệt/);

  const settings = await doit.post('/admin/settings', settingsForm({ onePerAgencyRule: false }));
  assert.equal(settings.statusCode, 302);
  assert.equal((await testApp.app.settings.site()).onePerAgencyRule, false);
  assert.doesNotMatch((await doit.get('/admin/accounts/new')).body, /mỗi cơ quan có một tài khoản cán bộ đầu mối và một tài khoản lãnh đạo duyệt/);

  const response = await doit.post('/admin/accounts', accountForm(agency.id, 'officer', 'can-bo-thu-hai@example.gov.vn'));
  assert.equal(response.statusCode, 302);
  assert.equal((await enabledOf(testApp, agency.id, 'officer')).length, 2);

  // Ticked again, the rule holds for the next account.
  await doit.post('/admin/settings', settingsForm({ onePerAgencyRule: true }));
  assert.equal((await doit.post('/admin/accounts', accountForm(agency.id, 'officer', 'can-bo-thu-ba@example.gov.vn'))).statusCode, 422);
});

test('re-enabling a disabled officer when the agency already has another enabled officer is refused with a sentence', async (t) => {
  const testApp = await buildTestApp(t);
  const { agency, doit } = await setup(testApp);
  const disabled = await buildUser(testApp.db, { role: 'officer', agency, disabledAt: new Date() });
  await buildUser(testApp.db, { role: 'officer', agency });
  const response = await doit.post(`/admin/accounts/${disabled.id}/enable`);
  assert.equal(response.statusCode, 302);
  assert.equal(response.headers.location, '/admin/accounts');
  const list = await doit.get('/admin/accounts');
  assert.ok(unescapeHtml(list.body).includes(hasOfficer), 'the refusal is shown on the account list');
  assert.notEqual((await userById(testApp.db, disabled.id)).disabledAt, null, 'the account was re-enabled');
  assert.deepEqual((await auditRows(testApp.db)).map((row) => row.action), []);
});

test('re-enabling a disabled officer is allowed when the agency has no other enabled officer', async (t) => {
  const testApp = await buildTestApp(t);
  const { agency, doit } = await setup(testApp);
  const disabled = await buildUser(testApp.db, { role: 'officer', agency, disabledAt: new Date() });
  await buildUser(testApp.db, { role: 'leader', agency });
  assert.equal((await doit.post(`/admin/accounts/${disabled.id}/enable`)).statusCode, 302);
  assert.equal((await userById(testApp.db, disabled.id)).disabledAt, null);
  assert.deepEqual((await auditRows(testApp.db)).map((row) => row.action), ['account.enable']);
});

test('an e-mail already in use, in any letter case, is refused with the sentence on the e-mail field', async (t) => {
  const testApp = await buildTestApp(t);
  const { agency, doit } = await setup(testApp);
  const other = await buildAgency(testApp.db);
  await buildUser(testApp.db, { role: 'officer', agency: other, email: 'tran.thi.lan@example.gov.vn' });
  const usersBefore = await countRows(testApp.db, 'users');
  const response = await doit.post('/admin/accounts', accountForm(agency.id, 'officer', 'Tran.Thi.LAN@Example.gov.vn'));
  assert.equal(response.statusCode, 422);
  assert.equal(fieldError(response.body, 'email'), 'Địa chỉ thư này đã được dùng cho một tài khoản khác.');
  assert.equal(inputValue(response.body, 'email'), 'Tran.Thi.LAN@Example.gov.vn');
  assert.equal(await countRows(testApp.db, 'users'), usersBefore);
  assert.equal((await auditRows(testApp.db)).length, 0);
});

test('an officer or a leader needs an active agency; a DOIT account has none', async (t) => {
  const testApp = await buildTestApp(t);
  const { doit } = await setup(testApp);
  const inactive = await buildAgency(testApp.db, { active: false });
  const none = await doit.post('/admin/accounts', { email: 'a@example.gov.vn', displayName: 'A', role: 'officer', agencyId: '', password: strongPassword });
  assert.equal(none.statusCode, 422);
  assert.equal(fieldError(none.body, 'agencyId'), 'Hãy chọn cơ quan (đang hoạt động) cho tài khoản này.');
  const closed = await doit.post('/admin/accounts', accountForm(inactive.id, 'leader', 'b@example.gov.vn'));
  assert.equal(closed.statusCode, 422);
  assert.equal(fieldError(closed.body, 'agencyId'), 'Hãy chọn cơ quan (đang hoạt động) cho tài khoản này.');
  const admin = await doit.post('/admin/accounts', { email: 'c@example.gov.vn', displayName: 'C', role: 'admin', agencyId: inactive.id, password: strongPassword });
  assert.equal(admin.statusCode, 302);
  const [created] = await testApp.db.select().from(users).where(eq(users.email, 'c@example.gov.vn'));
  assert.equal(created.agencyId, null);
});

// Without a lock, two requests in READ COMMITTED transactions could both count zero officers on a
// PostgreSQL server; the service locks the agency row. Several pairs make a regression likely to show.
test(
  'simultaneous requests cannot give one agency two officers',
  async (t) => {
    const testApp = await buildTestApp(t);
    const { admin } = await setup(testApp);
    const agencies = await Promise.all(Array.from({ length: 5 }, () => buildAgency(testApp.db)));
    const agents = await Promise.all(Array.from({ length: 10 }, () => agentFor(testApp, admin)));
    await Promise.all(
      agents.map((agent, index) => agent.post('/admin/accounts', accountForm(agencies[index % 5].id, 'officer', `dong-thoi-${index}@example.gov.vn`))),
    );
    for (const agency of agencies) assert.equal((await enabledOf(testApp, agency.id, 'officer')).length, 1, `agency ${agency.slug}`);
  },
);
