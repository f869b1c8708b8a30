import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';
import { launchBrowser, listen, skipWithoutChromium } from '../helpers/browser.ts';
import { buildDataset, buildTopic } from '../helpers/factories.ts';

test('a visitor opens the home page, follows a topic group to a dataset and downloads its file', { skip: skipWithoutChromium }, async (t) => {
  const testApp = await buildTestApp(t);
  const { db, storage } = testApp;
  const transport = await buildTopic(db, { slug: 'giao-thong-van-tai', nameVi: 'Giao thông vận tải', nameEn: 'Transport' });
  const content = 'mã tuyến,điểm đầu,điểm cuối\n01,Quy Nhơn,Tam Quan\n';
  await buildDataset(db, storage, {
    topic: transport,
    revision: { title: 'Tuyến xe buýt nội tỉnh' },
    files: [{ name: 'Danh sách tuyến', fileName: 'tuyen-xe-buyt.csv', content }],
  });
  const baseUrl = await listen(testApp);
  const browser = await launchBrowser(t);
  const page = await browser.newPage({ acceptDownloads: true });

  await page.goto(baseUrl);
  await page.getByRole('link', { name: /Giao thông vận tải/ }).first().click();
  await page.waitForURL(/\/group\/giao-thong-van-tai$/);
  await page.getByRole('link', { name: 'Tuyến xe buýt nội tỉnh' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Tuyến xe buýt nội tỉnh');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải về' }).click()]);
  assert.equal(download.suggestedFilename(), 'tuyen-xe-buyt.csv');
  // The main download opens in Excel: UTF-8 with a byte-order mark before the stored bytes.
  assert.equal(await readFile(await download.path(), 'utf8'), `\uFEFF${content}`);
});
