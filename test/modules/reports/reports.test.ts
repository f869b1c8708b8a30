import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { seedDemo } from '../../../src/modules/demo/seed-demo.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset, buildUser, testPassword } from '../../helpers/factories.ts';
import { decodeHtml, pageText } from '../datasets/publishing-helpers.ts';

async function signedIn(app: FastifyInstance, user: { email: string }) {
  const agent = new Agent(app);
  await agent.signIn(user.email, testPassword);
  return agent;
}

/** Rows of a report table on the page: [name, ...cells]. */
function tableRows(body: string, id: string): string[][] {
  const section = new RegExp(`<section class="section" id="report-${id}">([\\s\\S]*?)</section>`).exec(body)?.[1] ?? '';
  return [...section.matchAll(/<tr><th scope="row">([^<]*)<\/th>((?:<td class="num">[^<]*<\/td>)*)<\/tr>/g)].map((m) => [
    decodeHtml(m[1]),
    ...[...m[2].matchAll(/<td class="num">([^<]*)<\/td>/g)].map((cell) => decodeHtml(cell[1])),
  ]);
}

test('the report workbook has one sheet per table with figures as numbers, equal to the page', async (t) => {
  const testApp = await buildTestApp(t);
  await seedDemo({ database: testApp.database, storage: testApp.storage });
  const doit = await signedIn(testApp.app, await buildUser(testApp.db, { role: 'admin' }));
  const period = `${new Date().getFullYear()}`;
  const page = await doit.get(`/admin/reports?period=${period}`);
  assert.equal(page.statusCode, 200);
  const agencies = tableRows(page.body, 'agencies');
  const topics = tableRows(page.body, 'topics');
  assert.equal(topics.length, 14);
  assert.ok(agencies.length >= 18);
  assert.match(page.body, /<svg[^>]*role="img"/);

  const response = await doit.get(`/admin/reports/export?period=${period}&format=xlsx`);
  assert.equal(response.statusCode, 200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  assert.deepEqual(workbook.worksheets.map((sheet) => sheet.name), ['Tổng hợp', 'Theo cơ quan', 'Theo nhóm chủ đề', 'Chưa cung cấp']);
  const numberFormat = new Intl.NumberFormat('vi');
  for (const [sheetName, rows] of [['Theo cơ quan', agencies], ['Theo nhóm chủ đề', topics]] as const) {
    const sheet = workbook.getWorksheet(sheetName)!;
    rows.forEach((row, index) => {
      const cells = sheet.getRow(index + 2).values as ExcelJS.CellValue[];
      assert.equal(cells[1], row[0]);
      for (const column of [2, 3, 4, 5, 6, 8, 9, 10, 11, 12]) {
        assert.equal(typeof cells[column], 'number', `${sheetName} ${row[0]} column ${column} is a number`);
        assert.equal(numberFormat.format(cells[column] as number), row[column - 1], `${sheetName} ${row[0]} column ${column}`);
      }
    });
  }
  const summary = workbook.getWorksheet('Tổng hợp')!;
  const shown = (figure: string) => decodeHtml(new RegExp(`data-figure="${figure}">([^<]*)<`).exec(page.body)?.[1] ?? '');
  assert.equal(String(summary.getCell('B2').value), shown('publishing'));
  assert.equal(String(summary.getCell('B3').value), shown('total'));
  assert.equal(`${numberFormat.format(summary.getCell('B4').value as number)}%`, shown('percent'));
  assert.equal(`${summary.getCell('B5').value}%`, shown('target'));
  const updates = agencies.reduce((sum, row) => sum + Number(row[4].replace(/\D/g, '')) + Number(row[5].replace(/\D/g, '')), 0);
  assert.ok(updates > 0, 'the demo history gives updates due in the year');
});

test('the share of agencies providing open data is reported against the target of that year', async (t) => {
  const testApp = await buildTestApp(t);
  const { db, storage } = testApp;
  const published = async (at: string) => {
    const { dataset } = await buildDataset(db, storage, { agency: await buildAgency(db) });
    await db.execute(sql`update datasets set first_published_at = ${new Date(at)} where id = ${dataset.id}`);
  };
  await published('2023-06-01T03:00:00Z');
  await published('2024-03-01T03:00:00Z');
  await published('2024-05-01T03:00:00Z');
  await buildAgency(db);
  const doit = await signedIn(testApp.app, await buildUser(db, { role: 'admin' }));
  const figures = async (period: string) => {
    const text = pageText((await doit.get(`/admin/reports?period=${period}`)).body);
    return /Cơ quan có ít nhất một tập dữ liệu đã công bố (\d+) Tổng số cơ quan (\d+) Tỷ lệ \(%\) ([\d,]+)% Mục tiêu của năm \(%\) (\S+) (Đạt mục tiêu|Chưa đạt mục tiêu)/.exec(text)?.slice(1);
  };
  assert.deepEqual(await figures('2023'), ['1', '4', '25', '70%', 'Chưa đạt mục tiêu']);
  assert.deepEqual(await figures('2024-H1'), ['3', '4', '75', '90%', 'Chưa đạt mục tiêu']);
  assert.deepEqual(await figures('2023-Q1'), ['0', '4', '0', '70%', 'Chưa đạt mục tiêu']);
  await doit.post('/admin/catalogue/targets', { year_0: '2023', percent_0: '70', year_1: '2024', percent_1: '75' });
  assert.deepEqual(await figures('2024'), ['3', '4', '75', '75%', 'Đạt mục tiêu']);
});

test('a period like 2026-Q5 is a 400 page with a sentence, and a leader gets the report of their own agency only', async (t) => {
  const testApp = await buildTestApp(t);
  const { db, storage } = testApp;
  const mine = await buildAgency(db, { name: 'Sở Y tế' });
  const other = await buildAgency(db, { name: 'Sở Tư pháp' });
  await buildDataset(db, storage, { agency: mine });
  await buildDataset(db, storage, { agency: other });
  const doit = await signedIn(testApp.app, await buildUser(db, { role: 'admin' }));
  for (const bad of ['2026-Q5', '2026-H3', 'năm nay', '99999']) {
    const response = await doit.get(`/admin/reports?period=${encodeURIComponent(bad)}`);
    assert.equal(response.statusCode, 400, bad);
    assert.match(pageText(response.body), /Kỳ báo cáo ".*" không hợp lệ/);
  }
  assert.equal((await doit.get('/admin/reports/export?period=2026-Q5&format=xlsx')).statusCode, 400);

  const leader = await signedIn(testApp.app, await buildUser(db, { role: 'leader', agency: mine }));
  const page = await leader.get('/admin/reports?period=2026');
  assert.equal(page.statusCode, 200);
  assert.deepEqual(tableRows(page.body, 'agencies').map((row) => row[0]), ['Sở Y tế']);
  assert.doesNotMatch(page.body, /Sở Tư pháp/);
  const officer = await signedIn(testApp.app, await buildUser(db, { role: 'officer', agency: mine }));
  assert.equal((await officer.get('/admin/reports?period=2026')).statusCode, 403);
});

test('Rule 11: views and downloads in a report are the figures of the asked period, counted per day, not running totals', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const { buildReport } = await import('../../../src/modules/reports/reports.service.ts');
  const { parseReportPeriod } = await import('../../../src/modules/reports/report-period.ts');
  const { siteSettingDefaults } = await import('../../../src/modules/settings/settings.defaults.ts');
  const agency = await buildAgency(db);
  const { dataset, resources } = await buildDataset(db, storage, { agency, files: [{ content: 'a,b\n1,2\n' }] });
  // Two earlier quarters, as the counter wrote them on those days.
  await db.execute(sql`insert into dataset_daily_stats (dataset_id, day, views, downloads) values
    (${dataset.id}, '2025-02-10', 5, 2), (${dataset.id}, '2025-03-31', 1, 0), (${dataset.id}, '2025-05-03', 7, 1)`);
  // Today's, through the real counter.
  for (let i = 0; i < 3; i++) app.stats.countView(dataset.id);
  app.stats.countDownload({ lineageId: resources[0].lineageId, revisionId: resources[0].revisionId });
  await app.stats.flush();

  const doit = { id: 'x', email: 'x', role: 'admin' as const, agencyId: null, ip: null };
  const figures = async (key: string) => {
    const period = parseReportPeriod(key);
    const report = await buildReport(db, doit, period, siteSettingDefaults);
    const row = report.agencies.find((item) => item.id === agency.id)!;
    return [row.views, row.downloads];
  };
  assert.deepEqual(await figures('2025-Q1'), [6, 2]);
  assert.deepEqual(await figures('2025-Q2'), [7, 1]);
  assert.deepEqual(await figures('2025-H1'), [13, 3]);
  assert.deepEqual(await figures('2024'), [0, 0]);
  assert.deepEqual(await figures(String(new Date().getFullYear())), [3, 1], "this year's report counts only this year's days");
});
