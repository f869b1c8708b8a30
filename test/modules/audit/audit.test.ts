import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { auditLog } from '../../../src/modules/audit/audit.table.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { buildAgency, buildUser } from '../../helpers/factories.ts';
import { agentFor, auditRows, countRows, settingsForm, strongPassword } from '../accounts/support.ts';

/*
 * The audit log (issue 3, Build 7): every back-office change writes one row — who, when, what,
 * which object, from which address — in the same transaction as the change; DOIT browses and
 * filters it.
 */

test('each DOIT change writes exactly one audit row naming the actor, the action, the object and the address', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin', email: 'quan-tri@example.gov.vn' });
  const doit = await agentFor(testApp, admin, '198.51.100.23');
  const { db } = testApp;

  const steps: Array<{ action: string; run(): Promise<unknown>; objectType: string; objectId?: () => Promise<string | null> }> = [];
  let agencyId = '';
  let accountId = '';
  steps.push({
    action: 'agency.create',
    objectType: 'agency',
    run: () => doit.post('/admin/agencies', { name: 'Sở Lao động – Thương binh và Xã hội', kind: 'department' }),
    objectId: async () => {
      const [row] = await db.execute(sql`select id from agencies where slug = 'so-lao-dong-thuong-binh-va-xa-hoi'`).then((result) => (result as unknown as { rows: Array<{ id: string }> }).rows);
      agencyId = row.id;
      return agencyId;
    },
  });
  steps.push({ action: 'agency.update', objectType: 'agency', run: () => doit.post(`/admin/agencies/${agencyId}`, { name: 'Sở Lao động – Thương binh và Xã hội tỉnh', kind: 'department' }), objectId: async () => agencyId });
  steps.push({
    action: 'account.create',
    objectType: 'account',
    run: () => doit.post('/admin/accounts', { email: 'can-bo-ldtbxh@example.gov.vn', displayName: 'Cán bộ', role: 'officer', agencyId, password: strongPassword }),
    objectId: async () => {
      const [row] = await db.execute(sql`select id from users where email = 'can-bo-ldtbxh@example.gov.vn'`).then((result) => (result as unknown as { rows: Array<{ id: string }> }).rows);
      accountId = row.id;
      return accountId;
    },
  });
  steps.push({ action: 'account.disable', objectType: 'account', run: () => doit.post(`/admin/accounts/${accountId}/disable`), objectId: async () => accountId });
  steps.push({ action: 'account.enable', objectType: 'account', run: () => doit.post(`/admin/accounts/${accountId}/enable`), objectId: async () => accountId });
  steps.push({ action: 'account.reset_password', objectType: 'account', run: () => doit.post(`/admin/accounts/${accountId}/reset-password`), objectId: async () => accountId });
  steps.push({ action: 'agency.deactivate', objectType: 'agency', run: () => doit.post(`/admin/agencies/${agencyId}/deactivate`), objectId: async () => agencyId });
  steps.push({ action: 'agency.reactivate', objectType: 'agency', run: () => doit.post(`/admin/agencies/${agencyId}/reactivate`), objectId: async () => agencyId });
  steps.push({ action: 'settings.update', objectType: 'settings', run: () => doit.post('/admin/settings', settingsForm({ graceDaysQuarterly: 20 })), objectId: async () => null });

  for (const step of steps) {
    const before = await countRows(db, 'audit_log');
    const response = (await step.run()) as { statusCode: number };
    assert.ok([200, 302].includes(response.statusCode), `${step.action} answered ${response.statusCode}`);
    const rows = (await auditRows(db)).slice(before);
    assert.equal(rows.length, 1, `${step.action} wrote ${rows.length} audit rows`);
    const [row] = rows;
    const objectId = await step.objectId?.();
    assert.deepEqual(
      { action: row.action, actorId: row.actorId, actorEmail: row.actorEmail, objectType: row.objectType, objectId: row.objectId, ip: row.ip },
      { action: step.action, actorId: admin.id, actorEmail: 'quan-tri@example.gov.vn', objectType: step.objectType, objectId: objectId ?? null, ip: '198.51.100.23' },
      step.action,
    );
    assert.ok(row.at instanceof Date);
  }
  const [settingsRow] = (await auditRows(db)).slice(-1);
  assert.deepEqual((settingsRow.details as { changed: Record<string, unknown> }).changed, { graceDaysQuarterly: { from: 15, to: 20 } });
});

test('a refused change writes no audit row of the change, only the refusal of a 403', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const agency = await buildAgency(testApp.db, { slug: 'so-y-te' });
  const officer = await buildUser(testApp.db, { role: 'officer', agency, email: 'da-co@example.gov.vn' });
  const doit = await agentFor(testApp, admin);
  const refusals: Array<[string, Record<string, string>]> = [
    ['/admin/accounts', { email: 'moi@example.gov.vn', displayName: 'Mới', role: 'officer', agencyId: agency.id, password: strongPassword }], // 1+1 rule
    ['/admin/accounts', { email: 'DA-CO@example.gov.vn', displayName: 'Trùng', role: 'admin', password: strongPassword }], // e-mail taken
    ['/admin/accounts', { email: 'yeu@example.gov.vn', displayName: 'Yếu', role: 'admin', password: 'password1234' }], // weak password
    ['/admin/agencies', { name: 'Trung tâm Y tế', kind: 'department', slug: 'so-y-te' }], // slug taken
    ['/admin/settings', settingsForm({ portalTitleVi: '' })], // invalid setting
    [`/admin/accounts/${admin.id}/disable`, {}], // disabling oneself
  ];
  for (const [url, form] of refusals) {
    const response = await doit.post(url, form);
    assert.ok([302, 409, 422].includes(response.statusCode), `${url} answered ${response.statusCode}`);
  }
  // And an officer trying DOIT's actions.
  const officerAgent = await agentFor(testApp, officer);
  assert.equal((await officerAgent.post(`/admin/agencies/${agency.id}/deactivate`)).statusCode, 403);
  assert.equal((await officerAgent.post('/admin/settings', settingsForm({ portalTitleVi: 'X' }))).statusCode, 403);
  // A 403 is recorded as a refused attempt (audit-readable.test.ts), never as the change itself.
  assert.deepEqual((await auditRows(testApp.db)).map((row) => row.action), ['access.refused', 'access.refused']);
});

/** Makes the next audit insert of one action fail inside the database, as a full disk or a bug would. */
async function breakAuditFor(testApp: TestApp, action: string) {
  await testApp.db.execute(
    sql.raw(`
    create or replace function refuse_audit() returns trigger language plpgsql as $$
    begin
      if new.action = '${action}' then raise exception 'audit refused for the test'; end if;
      return new;
    end $$`),
  );
  await testApp.db.execute(sql.raw('create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()'));
}

test('the audit row is written in the same transaction as the change: when it cannot be written, the change is rolled back', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const agency = await buildAgency(testApp.db);
  const officer = await buildUser(testApp.db, { role: 'officer', agency });
  const doit = await agentFor(testApp, admin);
  await breakAuditFor(testApp, 'agency.create');
  assert.equal((await doit.post('/admin/agencies', { name: 'Sở Nội vụ', kind: 'department' })).statusCode, 500);
  assert.equal(await countRows(testApp.db, 'agencies'), 1, 'the agency was created without its audit row');

  await testApp.db.execute(sql`drop trigger refuse_audit on audit_log`);
  await breakAuditFor(testApp, 'account.disable');
  assert.equal((await doit.post(`/admin/accounts/${officer.id}/disable`)).statusCode, 500);
  const [row] = await testApp.db.execute(sql`select disabled_at from users where id = ${officer.id}`).then((result) => (result as unknown as { rows: Array<{ disabled_at: unknown }> }).rows);
  assert.equal(row.disabled_at, null, 'the account was disabled without its audit row');

  await testApp.db.execute(sql`drop trigger refuse_audit on audit_log`);
  await breakAuditFor(testApp, 'settings.update');
  assert.equal((await doit.post('/admin/settings', settingsForm({ portalTitleVi: 'Tên mới' }))).statusCode, 500);
  assert.equal(await countRows(testApp.db, 'settings'), 0, 'the setting was saved without its audit row');
});

async function seedAuditLog(testApp: TestApp) {
  const alice = await buildUser(testApp.db, { role: 'admin', email: 'alice@example.gov.vn' });
  const bob = await buildUser(testApp.db, { role: 'admin', email: 'bob@example.gov.vn' });
  // Times in UTC; Vietnam is UTC+7, so 2025-03-01T16:30Z is still 1 March there and 17:30Z is 2 March.
  await testApp.db.insert(auditLog).values([
    { at: new Date('2025-03-01T16:30:00Z'), actorId: alice.id, actorEmail: alice.email, action: 'agency.create', objectType: 'agency', objectLabel: 'Mục-một-tháng-ba' },
    { at: new Date('2025-03-01T17:30:00Z'), actorId: bob.id, actorEmail: bob.email, action: 'account.create', objectType: 'account', objectLabel: 'Mục-hai-tháng-ba' },
    { at: new Date('2025-03-02T16:59:00Z'), actorId: alice.id, actorEmail: alice.email, action: 'account.disable', objectType: 'account', objectLabel: 'Mục-cuối-ngày-hai' },
    { at: new Date('2025-03-05T03:00:00Z'), actorId: bob.id, actorEmail: bob.email, action: 'agency.create', objectType: 'agency', objectLabel: 'Mục-năm-tháng-ba' },
  ]);
  return { alice, bob };
}

function labelsOn(body: string): string[] {
  return [...body.matchAll(/Mục-[^<]+/g)].map((match) => match[0]).sort();
}

test('/admin/audit filters by action, by actor and by Vietnamese calendar dates', async (t) => {
  const testApp = await buildTestApp(t);
  const { alice, bob } = await seedAuditLog(testApp);
  const doit = await agentFor(testApp, alice);

  const all = await doit.get('/admin/audit');
  assert.equal(all.statusCode, 200);
  assert.deepEqual(labelsOn(all.body), ['Mục-cuối-ngày-hai', 'Mục-hai-tháng-ba', 'Mục-một-tháng-ba', 'Mục-năm-tháng-ba']);

  assert.deepEqual(labelsOn((await doit.get('/admin/audit?action=agency.create')).body), ['Mục-một-tháng-ba', 'Mục-năm-tháng-ba']);
  assert.deepEqual(labelsOn((await doit.get(`/admin/audit?actor=${bob.id}`)).body), ['Mục-hai-tháng-ba', 'Mục-năm-tháng-ba']);
  assert.deepEqual(labelsOn((await doit.get('/admin/audit?from=2025-03-02&to=2025-03-02')).body), ['Mục-cuối-ngày-hai', 'Mục-hai-tháng-ba']);
  assert.deepEqual(labelsOn((await doit.get('/admin/audit?from=2025-03-03')).body), ['Mục-năm-tháng-ba']);
  assert.deepEqual(labelsOn((await doit.get('/admin/audit?to=2025-03-01')).body), ['Mục-một-tháng-ba']);
  assert.deepEqual(labelsOn((await doit.get(`/admin/audit?actor=${alice.id}&action=account.disable&from=2025-03-01`)).body), ['Mục-cuối-ngày-hai']);
  const filtered = await doit.get(`/admin/audit?action=agency.create`);
  assert.match(filtered.body, /<option value="agency.create" selected>/, 'the chosen filter stays selected');
});

test('/admin/audit ignores filter values it does not understand and still answers', async (t) => {
  const testApp = await buildTestApp(t);
  const { alice } = await seedAuditLog(testApp);
  const doit = await agentFor(testApp, alice);
  const everything = ['Mục-cuối-ngày-hai', 'Mục-hai-tháng-ba', 'Mục-một-tháng-ba', 'Mục-năm-tháng-ba'];
  for (const query of ['actor=khong-phai-uuid', 'from=hom-qua', 'to=01%2F03%2F2025', `action=${'x'.repeat(200)}`, 'action=a&action=b', 'from=2025-13-45', 'to=2025-02-30']) {
    const response = await doit.get(`/admin/audit?${query}`);
    assert.equal(response.statusCode, 200, `?${query} answered ${response.statusCode}`);
    assert.deepEqual(labelsOn(response.body), everything, `?${query} was not ignored`);
  }
  const unknownAction = await doit.get('/admin/audit?action=khong.co');
  assert.equal(unknownAction.statusCode, 200);
  assert.deepEqual(labelsOn(unknownAction.body), [], 'an action nobody did matches no row');
});

test('officers and leaders cannot read the audit log', async (t) => {
  const testApp = await buildTestApp(t);
  const { alice } = await seedAuditLog(testApp);
  const agency = await buildAgency(testApp.db);
  for (const role of ['officer', 'leader'] as const) {
    const user = await buildUser(testApp.db, { role, agency });
    const response = await (await agentFor(testApp, user)).get(`/admin/audit?actor=${alice.id}`);
    assert.equal(response.statusCode, 403, role);
    assert.doesNotMatch(response.body, /Mục-/, `${role} sees audit entries`);
    assert.doesNotMatch(response.body, /alice@example\.gov\.vn/, `${role} sees who did what`);
  }
});
