import assert from 'node:assert/strict';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { linkEntriesByCatalogueNumber } from '../../../src/modules/catalogue/catalogue.repository.ts';
import { importCatalogueForYear } from '../../../src/modules/catalogue/catalogue.service.ts';
import { buildDataset } from '../../helpers/factories.ts';
import { pageText } from '../datasets/publishing-helpers.ts';
import { binhDinhCsv, buildCatalogueWorld } from './support.ts';

async function approvedWorld(t: Parameters<typeof buildCatalogueWorld>[0]) {
  const world = await buildCatalogueWorld(t);
  const year = new Date().getFullYear();
  const { catalogue } = await importCatalogueForYear(world.db, { year, fileName: 'a.csv', bytes: binhDinhCsv, approve: { decisionNumber: '1542/QĐ-UBND', decisionDate: `${year}-01-15`, signer: 'B' } });
  // Entry 3 (kindergartens, Department of Education) has its dataset published.
  const education = world.officerAgency;
  const { dataset } = await buildDataset(world.db, world.storage, { agency: education, topic: world.topics[0], slug: 'du-lieu-nha-tre' });
  await world.db.execute(`update datasets set catalogue_number = 3 where id = '${dataset.id}'` as never);
  await linkEntriesByCatalogueNumber(world.db, catalogue.id);
  return { world, catalogue, year };
}

test('the public catalogue lists the approved entries 50 to a page with their agency, topic, frequency and a link when published', async (t) => {
  const { world, year } = await approvedWorld(t);
  const first = await world.app.inject({ method: 'GET', url: '/catalogue' });
  assert.equal(first.statusCode, 200);
  const text = pageText(first.body);
  assert.match(text, new RegExp(`Danh mục dữ liệu mở ${year}`));
  assert.match(text, /Quyết định số 1542\/QĐ-UBND/);
  assert.match(text, /1 trên 167 tập dữ liệu trong danh mục đã được công bố/);
  assert.equal((first.body.match(/<tr>\s*<td class="num">/g) ?? []).length, 50);
  assert.match(first.body, /<a href="\/dataset\/du-lieu-nha-tre">Dữ liệu các nhà trẻ<\/a>/);
  const last = await world.app.inject({ method: 'GET', url: '/catalogue?page=4' });
  assert.equal((last.body.match(/<tr>\s*<td class="num">/g) ?? []).length, 17);
  assert.equal((await world.app.inject({ method: 'GET', url: '/catalogue?page=zero' })).statusCode, 400);
});

test('the public catalogue filters by agency, topic and published state', async (t) => {
  const { world } = await approvedWorld(t);
  const byAgency = await world.app.inject({ method: 'GET', url: `/catalogue?agency=${world.officerAgency.slug}` });
  const rows = [...byAgency.body.matchAll(/<tr>\s*<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
  assert.deepEqual(rows, Array.from({ length: 13 }, (_, i) => i + 1), 'the 13 entries of the Department of Education');
  const published = await world.app.inject({ method: 'GET', url: '/catalogue?published=yes' });
  assert.deepEqual([...published.body.matchAll(/<tr>\s*<td class="num">(\d+)<\/td>/g)].map((m) => m[1]), ['3']);
  const planned = await world.app.inject({ method: 'GET', url: `/catalogue?published=no&agency=${world.officerAgency.slug}` });
  assert.doesNotMatch(planned.body, /<td class="num">3<\/td>/);
  const topic = world.topics.find((item) => item.nameVi === 'Ngoại vụ')!;
  const byTopic = await world.app.inject({ method: 'GET', url: `/catalogue?topic=${topic.slug}` });
  assert.ok([...byTopic.body.matchAll(/<tr>\s*<td class="num">/g)].length > 0);
  assert.doesNotMatch(pageText(byTopic.body), /Sở Giáo dục và Đào tạo Giáo dục/);
  assert.equal((await world.app.inject({ method: 'GET', url: '/catalogue?published=maybe' })).statusCode, 400);
  assert.equal((await world.app.inject({ method: 'GET', url: '/catalogue?agency=khong-co' })).statusCode, 404);
});

test('/catalogue.csv and /catalogue.xlsx download the same filtered list', async (t) => {
  const { world } = await approvedWorld(t);
  const query = `?agency=${world.officerAgency.slug}`;
  const page = await world.app.inject({ method: 'GET', url: `/catalogue${query}` });
  const shown = [...page.body.matchAll(/<tr>\s*<td class="num">(\d+)<\/td>/g)].map((m) => m[1]);
  const csv = await world.app.inject({ method: 'GET', url: `/catalogue.csv${query}` });
  assert.equal(csv.statusCode, 200);
  const rows = Papa.parse<string[]>(csv.body.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
  assert.equal(rows[0][0], 'TT');
  assert.deepEqual(rows.slice(1).map((row) => row[0]), shown);
  assert.equal(rows.find((row) => row[0] === '3')?.[8], 'Đã công bố');
  assert.match(rows.find((row) => row[0] === '3')?.[9] ?? '', /\/dataset\/du-lieu-nha-tre$/);

  const xlsx = await world.app.inject({ method: 'GET', url: `/catalogue.xlsx${query}` });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
  const numbers: string[] = [];
  workbook.worksheets[0].eachRow((row, index) => {
    if (index > 4) numbers.push(String(row.getCell(1).value));
  });
  assert.deepEqual(numbers, shown);
});

test('without an approved catalogue the public page says so', async (t) => {
  const world = await buildCatalogueWorld(t);
  const page = await world.app.inject({ method: 'GET', url: '/catalogue' });
  assert.equal(page.statusCode, 200);
  assert.match(pageText(page.body), /Chưa có danh mục dữ liệu mở nào được phê duyệt/);
});
