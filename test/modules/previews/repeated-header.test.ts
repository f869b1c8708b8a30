import assert from 'node:assert/strict';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { uniqueNames } from '../../../src/modules/previews/csv-rows.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildDataset } from '../../helpers/factories.ts';

// Issue 10, finding 1: a header repeating one name 30,000 times (120 KB) took 57.7 s per
// conversion with the event loop blocked. The time is measured for the report, not asserted here.
const repeats = 30_000;
const header = Array(repeats).fill('name').join(',');
const values = Array.from({ length: repeats }, (_, i) => String(i)).join(',');

test('a published CSV whose header repeats one name 30,000 times converts to JSON, XML and XLSX', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const built = await buildDataset(db, storage, { files: [{ fileName: 'lap-ten.csv', content: `${header}\n${values}\n` }] });
  const url = `/dataset/${built.dataset.slug}/resource/${built.resources[0].id}`;

  const json = await app.inject({ method: 'GET', url: `${url}/convert/json` });
  assert.equal(json.statusCode, 200);
  const [record] = JSON.parse(json.body) as Array<Record<string, number>>;
  const keys = Object.keys(record);
  assert.equal(keys.length, repeats, 'no value is lost under another key');
  assert.equal(keys[0], 'name');
  assert.equal(keys[1], 'name_2');
  assert.equal(record.name_30000, 29_999);

  const xml = await app.inject({ method: 'GET', url: `${url}/convert/xml` });
  assert.equal(xml.statusCode, 200);
  assert.equal(xml.body.match(/<field /g)?.length, repeats);
  assert.match(xml.body, /<field name="name_30000">29999<\/field><\/row>/);

  const xlsx = await app.inject({ method: 'GET', url: `${url}/convert/xlsx` });
  assert.equal(xlsx.statusCode, 200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  // Excel stops at column XFD (16,384): the rest is left out rather than failing the download.
  assert.equal(sheet.getRow(1).cellCount, 16_384);
  assert.equal(sheet.getCell(2, 16_384).value, 16_383);
});

test('repeated and empty header names get suffixes that no other header holds', () => {
  assert.deepEqual(uniqueNames(['a', 'A', 'a_2', '', 'a', ' ']), ['a', 'A_2', 'a_2_2', 'column_4', 'a_3', 'column_6']);
  assert.deepEqual(uniqueNames(['a', 'a', 'a_2']), ['a', 'a_2', 'a_2_2']);
});

test('the resource page of a 30,000-column file shows 100 columns and says the others are left out', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const long = 'x'.repeat(5000);
  const built = await buildDataset(db, storage, { files: [{ fileName: 'lap-ten.csv', content: `${header}\n${values}\n${long},${values}\n` }] });
  const page = await app.inject({ method: 'GET', url: `/dataset/${built.dataset.slug}/resource/${built.resources[0].id}` });
  assert.equal(page.statusCode, 200);
  assert.equal(page.body.match(/<th scope="col"/g)?.length, 100);
  assert.match(page.body, /Chỉ hiển thị 100 cột đầu tiên trong tổng số 30\.000 cột/);
  assert.ok(page.body.includes(`${'x'.repeat(300)}…<`), 'a long cell is cut');
  assert.ok(!page.body.includes('x'.repeat(301)));
  // The 205 MB page of issue 10 is now a few hundred KB.
  assert.ok(page.body.length < 500_000, `${page.body.length} characters`);
});
