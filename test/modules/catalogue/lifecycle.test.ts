import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { catalogues } from '../../../src/modules/catalogue/catalogue.table.ts';
import { importCatalogueForYear } from '../../../src/modules/catalogue/catalogue.service.ts';
import { pageText } from '../datasets/publishing-helpers.ts';
import { binhDinhCsv, buildCatalogueWorld, entriesOf, entryContent } from './support.ts';

async function catalogueOf(world: { db: Parameters<typeof entriesOf>[0] }, year: number) {
  const [row] = await world.db.select().from(catalogues).where(eq(catalogues.year, year));
  return row;
}

test('a catalogue goes from draft to submitted to approved with its decision, and the older approved one is superseded', async (t) => {
  const world = await buildCatalogueWorld(t);
  await importCatalogueForYear(world.db, { year: 2025, fileName: 'a.csv', bytes: binhDinhCsv, approve: { decisionNumber: '100/QĐ-UBND', decisionDate: '2025-01-10', signer: 'A' } });
  await importCatalogueForYear(world.db, { year: 2026, fileName: 'a.csv', bytes: binhDinhCsv });
  const draft = await catalogueOf(world, 2026);

  await world.doit.get(`/admin/catalogue/${draft.id}`);
  const early = await world.doit.post(`/admin/catalogue/${draft.id}/approve`, { decisionNumber: '1/QĐ', decisionDate: '2026-01-15', signer: 'B' });
  assert.equal(early.statusCode, 422);
  assert.match(pageText(early.body), /Chỉ phê duyệt được danh mục đã trình/);

  assert.equal((await world.doit.post(`/admin/catalogue/${draft.id}/submit`)).statusCode, 302);
  assert.equal((await catalogueOf(world, 2026)).status, 'submitted');
  const missing = await world.doit.post(`/admin/catalogue/${draft.id}/approve`, { decisionNumber: '', decisionDate: '15/13/2026', signer: '' });
  assert.equal(missing.statusCode, 422);
  assert.equal((await catalogueOf(world, 2026)).status, 'submitted', 'an approval without its decision is not recorded');

  const approved = await world.doit.post(`/admin/catalogue/${draft.id}/approve`, { decisionNumber: '1542/QĐ-UBND', decisionDate: '15/01/2026', signer: 'Phó Chủ tịch UBND tỉnh' });
  assert.equal(approved.statusCode, 302);
  const now = await catalogueOf(world, 2026);
  assert.deepEqual([now.status, now.decisionNumber, now.decisionDate, now.signer], ['approved', '1542/QĐ-UBND', '2026-01-15', 'Phó Chủ tịch UBND tỉnh']);
  assert.equal((await catalogueOf(world, 2025)).status, 'superseded');
});

test('an approved catalogue is read-only: adding, editing, removing or importing entries is refused with a sentence', async (t) => {
  const world = await buildCatalogueWorld(t);
  const { catalogue } = await importCatalogueForYear(world.db, {
    year: 2026,
    fileName: 'a.csv',
    bytes: binhDinhCsv,
    approve: { decisionNumber: '1542/QĐ-UBND', decisionDate: '2026-01-15', signer: 'B' },
  });
  const before = await entriesOf(world.db, catalogue.id);
  const [first] = before;
  const form = { number: '1', title: 'Tên mới', description: '', agencyId: first.agencyId, topicId: first.topicId, firstPublicationDate: '', frequency: 'yearly', notes: '' };
  await world.doit.get(`/admin/catalogue/${catalogue.id}`);
  const edit = await world.doit.post(`/admin/catalogue/${catalogue.id}/entries/${first.id}`, form);
  assert.equal(edit.statusCode, 409);
  assert.match(pageText(edit.body), /Danh mục năm 2026 đã được phê duyệt nên không thể sửa/);
  assert.equal((await world.doit.post(`/admin/catalogue/${catalogue.id}/entries`, { ...form, number: '999' })).statusCode, 409);
  assert.equal((await world.doit.post(`/admin/catalogue/${catalogue.id}/entries/${first.id}/delete`)).statusCode, 409);
  const commit = await world.doit.post(`/admin/catalogue/${catalogue.id}/import/commit`, { fileName: 'a.csv', content: binhDinhCsv.toString('base64') });
  assert.equal(commit.statusCode, 409);
  assert.deepEqual(await entriesOf(world.db, catalogue.id), before);
  const page = await world.doit.get(`/admin/catalogue/${catalogue.id}`);
  assert.doesNotMatch(page.body, /entries\/new|\/import"/, 'the page offers no editing');
});

test("next year's catalogue starts as a copy of the newest earlier one", async (t) => {
  const world = await buildCatalogueWorld(t);
  const { catalogue } = await importCatalogueForYear(world.db, { year: 2026, fileName: 'a.csv', bytes: binhDinhCsv, approve: { decisionNumber: '1', decisionDate: '2026-01-15', signer: 'B' } });
  await world.doit.get('/admin/catalogue');
  const created = await world.doit.post('/admin/catalogue', { year: '2027' });
  assert.equal(created.statusCode, 302);
  const next = await catalogueOf(world, 2027);
  assert.equal(next.status, 'draft');
  assert.deepEqual((await entriesOf(world.db, next.id)).map(entryContent), (await entriesOf(world.db, catalogue.id)).map(entryContent));
  const again = await world.doit.post('/admin/catalogue', { year: '2027' });
  assert.equal(again.statusCode, 422);
  assert.match(pageText(again.body), /Danh mục năm 2027 đã có/);
  const absurd = await world.doit.post('/admin/catalogue', { year: '20277' });
  assert.match(pageText(absurd.body), /Nhập một năm từ 2000 đến 2200/);
});

test('DOIT edits the entries of a draft; a duplicate number is refused next to its field', async (t) => {
  const world = await buildCatalogueWorld(t);
  await world.doit.get('/admin/catalogue');
  await world.doit.post('/admin/catalogue', { year: '2026' });
  const catalogue = await catalogueOf(world, 2026);
  const [agency] = world.agencies;
  const [topic] = world.topics;
  const form = { number: '1', title: 'Danh sách trường học', description: '', agencyId: agency.id, topicId: topic.id, firstPublicationDate: '01/03/2026', frequency: 'quarterly', notes: '' };
  assert.equal((await world.doit.post(`/admin/catalogue/${catalogue.id}/entries`, form)).statusCode, 302);
  const duplicate = await world.doit.post(`/admin/catalogue/${catalogue.id}/entries`, { ...form, title: 'Khác' });
  assert.equal(duplicate.statusCode, 409);
  assert.match(pageText(duplicate.body), /Số thứ tự 1 đã có trong danh mục/);
  const [entry] = await entriesOf(world.db, catalogue.id);
  assert.deepEqual([entry.title, entry.frequency, entry.firstPublicationDate], ['Danh sách trường học', 'quarterly', '2026-03-01']);
  assert.equal((await world.doit.post(`/admin/catalogue/${catalogue.id}/entries/${entry.id}`, { ...form, title: 'Danh sách trường mầm non' })).statusCode, 302);
  assert.equal((await entriesOf(world.db, catalogue.id))[0].title, 'Danh sách trường mầm non');
});

test('only DOIT manages catalogues: an officer is refused', async (t) => {
  const world = await buildCatalogueWorld(t);
  const { catalogue } = await importCatalogueForYear(world.db, { year: 2026, fileName: 'a.csv', bytes: binhDinhCsv });
  assert.equal((await world.officer.get('/admin/catalogue')).statusCode, 403);
  assert.equal((await world.officer.get(`/admin/catalogue/${catalogue.id}`)).statusCode, 403);
  assert.equal((await world.officer.get(`/admin/catalogue/${catalogue.id}/export.xlsx`)).statusCode, 403);
  assert.equal((await world.officer.post(`/admin/catalogue/${catalogue.id}/submit`)).statusCode, 403);
  assert.equal((await catalogueOf(world, 2026)).status, 'draft');
});

test('every catalogue back-office route refuses officers with 403 and changes nothing', async (t) => {
  const world = await buildCatalogueWorld(t);
  const { catalogue } = await importCatalogueForYear(world.db, { year: 2026, fileName: 'a.csv', bytes: binhDinhCsv });
  const [entry] = await entriesOf(world.db, catalogue.id);
  const base = `/admin/catalogue/${catalogue.id}`;
  const gets = ['/admin/catalogue', '/admin/catalogue/targets', base, `${base}/entries/new`, `${base}/entries/${entry.id}/edit`, `${base}/import`, `${base}/export.csv`, `${base}/export.xlsx`];
  const posts = ['/admin/catalogue', '/admin/catalogue/targets', `${base}/entries`, `${base}/entries/${entry.id}`, `${base}/entries/${entry.id}/delete`, `${base}/submit`, `${base}/return`, `${base}/approve`, `${base}/import/commit`];
  for (const url of gets) assert.equal((await world.officer.get(url)).statusCode, 403, `GET ${url}`);
  for (const url of posts) assert.equal((await world.officer.post(url, { year: '2030', year_0: '2030', percent_0: '1' })).statusCode, 403, `POST ${url}`);
  assert.equal((await entriesOf(world.db, catalogue.id)).length, 167);
  assert.equal((await world.db.select().from(catalogues)).length, 1);
});
