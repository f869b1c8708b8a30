import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { buildTestApp } from '../helpers/app.ts';
import { launchBrowser, listen, skipWithoutChromium } from '../helpers/browser.ts';
import { buildAgency, buildDataset, buildUser, testPassword } from '../helpers/factories.ts';

test('DOIT signs in, opens the report of a quarter and downloads it as a workbook', { skip: skipWithoutChromium }, async (t) => {
  const testApp = await buildTestApp(t);
  const { db, storage } = testApp;
  await buildDataset(db, storage, { agency: await buildAgency(db, { name: 'Sở Y tế' }) });
  await buildAgency(db, { name: 'Sở Tư pháp' });
  const admin = await buildUser(db, { role: 'admin' });
  const baseUrl = await listen(testApp);
  const browser = await launchBrowser(t);
  const page = await browser.newPage({ acceptDownloads: true });

  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Thư điện tử').fill(admin.email);
  await page.getByLabel('Mật khẩu').fill(testPassword);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));

  await page.getByRole('link', { name: 'Báo cáo' }).first().click();
  await page.getByLabel('Kỳ báo cáo').fill('2026-Q4');
  await page.getByRole('button', { name: 'Xem' }).click();
  await page.waitForURL(/period=2026-Q4/);
  assert.match((await page.getByRole('heading', { level: 1 }).textContent()) ?? '', /quý 4 năm 2026/);
  assert.equal(await page.locator('[data-figure="publishing"]').textContent(), '1');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải Excel' }).click()]);
  assert.equal(download.suggestedFilename(), 'bao-cao-du-lieu-mo-2026-Q4.xlsx');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(await download.path())) as unknown as ArrayBuffer);
  assert.equal(workbook.getWorksheet('Tổng hợp')?.getCell('B2').value, 1);
  assert.deepEqual(
    workbook.getWorksheet('Chưa cung cấp')?.getColumn(1).values.slice(2),
    ['Sở Tư pháp'],
  );
});
