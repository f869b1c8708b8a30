import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../src/db/client.ts';
import { deadlineRemindersJobName } from '../../../src/modules/catalogue/catalogue.jobs.ts';
import type { Actor } from '../../../src/modules/accounts/permissions.ts';
import { insertEntry } from '../../../src/modules/catalogue/catalogue.repository.ts';
import { importCatalogueForYear } from '../../../src/modules/catalogue/catalogue.service.ts';
import { deadlinesFor } from '../../../src/modules/catalogue/compliance.service.ts';
import { addDays, vietnamDay } from '../../../src/modules/catalogue/deadlines.ts';
import { buildDataset, buildUser, insertRevision, testPassword } from '../../helpers/factories.ts';
import type { UpdateFrequency } from '../../../src/modules/datasets/datasets.table.ts';
import { siteSettingDefaults } from '../../../src/modules/settings/settings.defaults.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { deliveredMail } from '../../helpers/mail.ts';
import { eventually } from '../datastore/datastore-helpers.ts';
import { pageText } from '../datasets/publishing-helpers.ts';
import { buildCatalogueWorld, type CatalogueWorld } from './support.ts';

const emptyCatalogue = Buffer.from('TT,Tên tập dữ liệu,Đơn vị chủ trì cung cấp,Nhóm chủ đề\n');

async function approvedEmptyCatalogue(world: CatalogueWorld, year: number) {
  // An approved catalogue with one placeholder entry, then the entries each test needs.
  const csv = Buffer.concat([emptyCatalogue, Buffer.from(`999,Dữ liệu khác,Sở Y tế,"Y tế, Sức khỏe"\n`)]);
  const { catalogue } = await importCatalogueForYear(world.db, { year, fileName: 'a.csv', bytes: csv, approve: { decisionNumber: '1', decisionDate: `${year}-01-15`, signer: 'B' } });
  return catalogue;
}

/** A published dataset whose revisions went public at `times`, linked to a new entry of the catalogue. */
async function publishedEntry(world: CatalogueWorld, catalogueId: string, number: number, frequency: UpdateFrequency, times: string[], agency = world.officerAgency) {
  const topic = world.topics[0];
  const { dataset } = await buildDataset(world.db, world.storage, { agency, topic, revision: { number: times.length, publishedAt: new Date(times.at(-1)!), updateFrequency: frequency } });
  for (const [index, at] of times.slice(0, -1).entries()) {
    await insertRevision(world.db, { datasetId: dataset.id, number: index + 1, state: 'superseded', title: 'cũ', topicId: topic.id, publishedAt: new Date(at) });
  }
  await world.db.execute(sql`update datasets set first_published_at = ${new Date(times[0])} where id = ${dataset.id}`);
  await insertEntry(world.db, { catalogueId, number, title: `Mục ${number}`, agencyId: agency.id, topicId: topic.id, frequency, datasetId: dataset.id });
}

test('officers see their agency\'s overdue updates and what falls due within 30 days; DOIT sees every agency', async (t) => {
  const world = await buildCatalogueWorld(t);
  const catalogue = await approvedEmptyCatalogue(world, 2026);
  const other = world.agencies.find((agency) => agency.name === 'Sở Y tế')!;
  const topic = world.topics[0];
  await publishedEntry(world, catalogue.id, 1, 'monthly', ['2026-09-05T02:00:00Z', '2026-10-03T02:00:00Z']);
  await publishedEntry(world, catalogue.id, 2, 'quarterly', ['2026-07-05T02:00:00Z', '2026-10-05T02:00:00Z']);
  await insertEntry(world.db, { catalogueId: catalogue.id, number: 3, title: 'Mục 3', agencyId: world.officerAgency.id, topicId: topic.id, frequency: 'yearly', firstPublicationDate: '2026-12-20' });
  await insertEntry(world.db, { catalogueId: catalogue.id, number: 4, title: 'Mục 4', agencyId: other.id, topicId: topic.id, frequency: 'yearly', firstPublicationDate: '2026-11-01' });
  await publishedEntry(world, catalogue.id, 5, 'irregular', ['2026-01-05T02:00:00Z']);

  const now = new Date('2026-11-30T03:00:00Z');
  const site = { ...siteSettingDefaults };
  const officer: Actor = { id: 'x', email: 'x', role: 'officer', agencyId: world.officerAgency.id, ip: null };
  const mine = await deadlinesFor(world.db, officer, site, now);
  assert.deepEqual(mine.overdue.map((row) => [row.number, row.periodKey, row.due, row.days]), [[1, '2026-11', '2026-11-10', 20]]);
  assert.deepEqual(mine.dueSoon.map((row) => [row.number, row.periodKey, row.due, row.days]), [[3, 'first', '2026-12-20', 20]], 'Q1 2027 (due 15 January) is further than 30 days');

  const doit: Actor = { id: 'y', email: 'y', role: 'admin', agencyId: null, ip: null };
  const all = await deadlinesFor(world.db, doit, site, now);
  assert.deepEqual(all.overdue.map((row) => [row.number, row.agencyName]), [[4, 'Sở Y tế'], [1, 'Sở Giáo dục và Đào tạo']]);
  const on20th = new Date('2026-11-20T03:00:00Z');
  assert.deepEqual((await deadlinesFor(world.db, officer, site, on20th)).overdue.map((row) => row.number), [1]);
  const longer = await deadlinesFor(world.db, officer, { ...site, graceDaysMonthly: 28 }, on20th);
  assert.deepEqual([longer.overdue.length, longer.dueSoon[0]?.due], [0, '2026-11-28'], 'a longer window set by DOIT moves the deadline');
});

test('the back-office home lists the overdue and due-soon entries of the signed-in officer\'s agency', async (t) => {
  const world = await buildCatalogueWorld(t);
  const year = new Date().getFullYear();
  const catalogue = await approvedEmptyCatalogue(world, year);
  const topic = world.topics[0];
  const today = vietnamDay(new Date());
  await insertEntry(world.db, { catalogueId: catalogue.id, number: 1, title: 'Danh sách trường quá hạn', agencyId: world.officerAgency.id, topicId: topic.id, frequency: 'yearly', firstPublicationDate: addDays(today, -3) });
  await insertEntry(world.db, { catalogueId: catalogue.id, number: 2, title: 'Danh sách trường sắp đến hạn', agencyId: world.officerAgency.id, topicId: topic.id, frequency: 'yearly', firstPublicationDate: addDays(today, 10) });
  const home = await world.officer.get('/admin');
  assert.equal(home.statusCode, 200);
  const text = pageText(home.body);
  assert.match(text, /Quá hạn cập nhật \(1\).*Danh sách trường quá hạn.*quá 3 ngày/);
  assert.match(text, /Đến hạn trong 30 ngày tới \(1\).*Danh sách trường sắp đến hạn.*còn 10 ngày/);
  assert.doesNotMatch(text, /Dữ liệu khác/, "another agency's entry is not shown to the officer");
  assert.match(pageText((await world.doit.get('/admin')).body), /Quá hạn cập nhật \(1\)/);
});

test('absurd update windows are refused with a sentence and a target table row over 100% is refused', async (t) => {
  const world = await buildCatalogueWorld(t);
  const { settingsForm, fieldError } = await import('../accounts/support.ts');
  await world.doit.get('/admin/settings');
  const refused = await world.doit.post('/admin/settings', settingsForm({ graceDaysMonthly: 45, graceDaysWeekly: 0, deadlineReminderDays: -1 }));
  assert.equal(refused.statusCode, 422);
  assert.equal(fieldError(refused.body, 'graceDaysMonthly'), 'Nhập một số ngày từ 1 đến 28: hạn cập nhật không thể dài hơn một tháng.');
  assert.equal(fieldError(refused.body, 'graceDaysWeekly'), 'Nhập một số ngày từ 1 đến 7: hạn cập nhật không thể dài hơn một tuần.');
  assert.equal(fieldError(refused.body, 'deadlineReminderDays'), 'Nhập một số ngày từ 1 đến 60.');
  assert.match(pageText(refused.body), /Giá trị đề xuất: 10 ngày/, 'proposed defaults are marked as such');

  const targets = await world.doit.get('/admin/catalogue/targets');
  assert.deepEqual([...targets.body.matchAll(/name="percent_\d+" type="number" value="(\d+)"/g)].map((m) => m[1]), ['70', '90', '100']);
  const bad = await world.doit.post('/admin/catalogue/targets', { year_0: '2023', percent_0: '70', year_1: '2023', percent_1: '150', year_2: '1800', percent_2: '50' });
  assert.equal(bad.statusCode, 422);
  assert.match(pageText(bad.body), /Năm này đã có ở dòng khác/);
  assert.match(pageText(bad.body), /Nhập một số nguyên từ 0 đến 100/);
  assert.match(pageText(bad.body), /Nhập một năm từ 2000 đến 2200/);
  const good = await world.doit.post('/admin/catalogue/targets', { year_0: '2023', percent_0: '70', year_1: '2024', percent_1: '90', year_2: '2025', percent_2: '100', year_3: '2027', percent_3: '95' });
  assert.equal(good.statusCode, 302);
  const { targetForYear } = await import('../../../src/modules/catalogue/targets.service.ts');
  assert.deepEqual(
    await Promise.all([2022, 2023, 2024, 2025, 2026, 2027, 2030].map((year) => targetForYear(world.db, year))),
    [null, 70, 90, 100, 100, 95, 95],
  );
});

test('a reminder is written once before the due day and once when it has passed, even when the job runs twice at the same time', async (t) => {
  const world = await buildCatalogueWorld(t);
  const catalogue = await approvedEmptyCatalogue(world, 2026);
  const topic = world.topics[0];
  await insertEntry(world.db, { catalogueId: catalogue.id, number: 1, title: 'Sắp đến hạn', agencyId: world.officerAgency.id, topicId: topic.id, frequency: 'yearly', firstPublicationDate: '2026-12-05' });
  await insertEntry(world.db, { catalogueId: catalogue.id, number: 2, title: 'Quá hạn', agencyId: world.officerAgency.id, topicId: topic.id, frequency: 'yearly', firstPublicationDate: '2026-11-20' });
  await insertEntry(world.db, { catalogueId: catalogue.id, number: 3, title: 'Còn xa', agencyId: world.officerAgency.id, topicId: topic.id, frequency: 'yearly', firstPublicationDate: '2027-03-01' });
  const { runDeadlineReminders } = await import('../../../src/modules/catalogue/reminders.service.ts');
  const { deadlineReminders } = await import('../../../src/modules/catalogue/reminders.table.ts');
  const now = new Date('2026-11-30T01:00:00Z');
  const [first, second] = await Promise.all([runDeadlineReminders(world.db, now), runDeadlineReminders(world.db, now)]);
  assert.equal(first + second, 2, 'two processes together write each notice once');
  assert.equal(await runDeadlineReminders(world.db, now), 0, 'a later run the same day writes nothing');
  assert.equal(await runDeadlineReminders(world.db, new Date('2026-12-02T01:00:00Z')), 0, 'nor does the next day');
  const rows = await world.db.select().from(deadlineReminders);
  assert.deepEqual(rows.map((row) => [row.kind, row.dueOn]).sort(), [['before', '2026-12-05'], ['passed', '2026-11-20']]);
  assert.equal(await runDeadlineReminders(world.db, new Date('2026-12-06T01:00:00Z')), 1, 'the day after the due day, the passed notice of entry 1');
});

test('deadline reminders run as a daily job on the job runner, just after midnight in Vietnam, and a run completes', async (t) => {
  const { app, db } = await buildTestApp(t);
  await app.ready();
  const schedules = rowsOf<{ cron: string; timezone: string }>(
    await db.execute(sql`select cron, timezone from pgboss.schedule where name = ${deadlineRemindersJobName}`),
  );
  assert.deepEqual(schedules, [{ cron: '5 0 * * *', timezone: 'Asia/Ho_Chi_Minh' }]);
  const id = await app.jobs.enqueue(deadlineRemindersJobName, {});
  assert.ok(id);
  await eventually(async () => (await app.jobs.jobState(deadlineRemindersJobName, id))?.state === 'completed');
});

test('a reminder is mailed to its agency once when SMTP is configured, even when the job runs twice at the same time, and officers see it on the back-office home', async (t) => {
  const world = await buildCatalogueWorld(t);
  const year = new Date().getFullYear();
  const catalogue = await approvedEmptyCatalogue(world, year);
  const topic = world.topics[0];
  const today = vietnamDay(new Date());
  await insertEntry(world.db, { catalogueId: catalogue.id, number: 1, title: 'Danh sách trường học', agencyId: world.officerAgency.id, topicId: topic.id, frequency: 'yearly', firstPublicationDate: addDays(today, 3) });
  await insertEntry(world.db, { catalogueId: catalogue.id, number: 2, title: 'Điểm thi tuyển sinh', agencyId: world.officerAgency.id, topicId: topic.id, frequency: 'yearly', firstPublicationDate: addDays(today, -2) });
  const { runDeadlineReminders } = await import('../../../src/modules/catalogue/reminders.service.ts');
  const mail = { mail: { baseUrl: 'https://data.example.gov.vn' } };
  const [first, second] = await Promise.all([runDeadlineReminders(world.db, new Date(), mail), runDeadlineReminders(world.db, new Date(), mail)]);
  assert.equal(first + second, 2);
  assert.equal(await runDeadlineReminders(world.db, new Date(), mail), 0);
  const queued = rowsOf<{ count: number }>(
    await world.db.execute(sql`select ((select count(*) from job_outbox where name = 'mail.send') + (select count(*) from pgboss.job where name = 'mail.send'))::int as count`),
  );
  assert.equal(queued[0].count, 1, 'one mail for the agency, queued by the run that wrote the notices');
  const sent = (await deliveredMail(world.app, 1)).at(-1)!;
  assert.match(sent.subject, /Nhắc hạn cập nhật dữ liệu mở \(2 dòng danh mục\)/);
  assert.match(sent.text, /1\. Danh sách trường học: đến hạn ngày/);
  assert.match(sent.text, /2\. Điểm thi tuyển sinh: đã quá hạn ngày/);
  assert.match(sent.text, /https:\/\/data\.example\.gov\.vn\/admin/);

  const home = pageText((await world.officer.get('/admin')).body);
  assert.match(home, /Thông báo nhắc hạn \(2\).*Danh sách trường học: đến hạn ngày.*Điểm thi tuyển sinh: đã quá hạn ngày/);
  const english = pageText((await world.officer.get('/admin?lang=en')).body);
  assert.match(english, /Deadline reminders \(2\).*due on.*overdue since/);
  const elsewhere = new Agent(world.app);
  await elsewhere.signIn((await buildUser(world.db, { role: 'leader', agency: world.agencies.find((agency) => agency.name === 'Sở Y tế')! })).email, testPassword);
  assert.match(pageText((await elsewhere.get('/admin')).body), /Thông báo nhắc hạn \(0\)/, "another agency's leader does not see them");
});

test('without SMTP the daily job writes the notices and queues no mail', async (t) => {
  const world = await buildCatalogueWorld(t);
  const catalogue = await approvedEmptyCatalogue(world, new Date().getFullYear());
  await insertEntry(world.db, { catalogueId: catalogue.id, number: 1, title: 'Quá hạn', agencyId: world.officerAgency.id, topicId: world.topics[0].id, frequency: 'yearly', firstPublicationDate: addDays(vietnamDay(new Date()), -2) });
  const { runDeadlineReminders } = await import('../../../src/modules/catalogue/reminders.service.ts');
  assert.equal(await runDeadlineReminders(world.db, new Date()), 1);
  const queued = rowsOf<{ count: number }>(await world.db.execute(sql`select count(*)::int as count from job_outbox where name = 'mail.send'`));
  assert.equal(queued[0].count, 0);
});
