import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';
import { launchBrowser, listen, skipWithoutChromium } from '../helpers/browser.ts';
import { buildUser, testPassword } from '../helpers/factories.ts';
import { eventually } from '../modules/datastore/datastore-helpers.ts';

// Issue 17, item 1: DOIT finds failed jobs from the back-office menu and discards one through the
// confirmation dialog. SCREENS_DIR=<dir> also saves the page at 1280×900 and 390×844.

test('DOIT opens failed jobs from the menu, discards one after the dialog asks, and the page says what happened', { skip: skipWithoutChromium }, async (t) => {
  const testApp = await buildTestApp(t);
  const { app, db } = testApp;
  app.jobs.work('mail.send-test', async () => {
    throw new Error('550 5.1.1 Hộp thư so-tai-chinh@example.gov.vn không tồn tại');
  }, { retryLimit: 0 });
  app.jobs.work('datastore-load-test', async () => {
    throw new Error('Tệp không còn trong kho lưu trữ');
  }, { retryLimit: 0 });
  const admin = await buildUser(db, { role: 'admin', email: 'quan-tri@stttt.binhdinh.gov.vn' });
  const baseUrl = await listen(testApp);
  const ids = [
    await app.jobs.enqueue('mail.send-test', { to: ['so-tai-chinh@example.gov.vn'], subject: 'Góp ý mới số 12: Chất lượng nước sông Kôn', text: 'Nội dung thư rất dài '.repeat(20) }),
    await app.jobs.enqueue('datastore-load-test', { lineageId: '6f1c2d3e-0000-4000-8000-000000000001', force: true }),
  ];
  for (const [index, name] of ['mail.send-test', 'datastore-load-test'].entries()) {
    const id = ids[index];
    assert.ok(id);
    await eventually(async () => (await app.jobs.jobState(name, id))?.state === 'failed');
  }

  const browser = await launchBrowser(t);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Thư điện tử').fill(admin.email);
  await page.getByLabel('Mật khẩu').fill(testPassword);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${baseUrl}/admin`);
  await page.getByRole('navigation', { name: 'Mục quản trị' }).getByRole('link', { name: 'Tác vụ lỗi' }).click();
  await page.waitForURL(`${baseUrl}/admin/jobs`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Tác vụ nền bị lỗi');
  const screens = process.env.SCREENS_DIR;
  if (screens) {
    await mkdir(screens, { recursive: true });
    await page.screenshot({ path: path.join(screens, 'jobs-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(screens, 'jobs-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  await page.getByRole('row', { name: /mail\.send-test/ }).getByRole('button', { name: 'Bỏ tác vụ' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.match((await dialog.textContent()) ?? '', /Bỏ tác vụ mail\.send-test này\?/);
  if (screens) await page.screenshot({ path: path.join(screens, 'jobs-discard-dialog-1280.png') });
  await dialog.getByRole('button', { name: 'Bỏ tác vụ' }).click();
  await page.waitForURL(`${baseUrl}/admin/jobs`);
  await page.getByText('Đã bỏ tác vụ mail.send-test.').waitFor();
  assert.equal(await page.getByRole('row', { name: /mail\.send-test/ }).count(), 0);
  assert.equal(await page.getByRole('row', { name: /datastore-load-test/ }).count(), 1);
  if (screens) {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(screens, 'jobs-after-discard-390.png'), fullPage: true });
  }
});
