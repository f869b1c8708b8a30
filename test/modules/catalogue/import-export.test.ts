import assert from 'node:assert/strict';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { catalogues } from '../../../src/modules/catalogue/catalogue.table.ts';
import { importCatalogueForYear } from '../../../src/modules/catalogue/catalogue.service.ts';
import { pageText } from '../datasets/publishing-helpers.ts';
import { binhDinhCsv, buildCatalogueWorld, entriesOf, entryContent, uploadCatalogue } from './support.ts';

test('the Bình Định catalogue imports as 167 entries in 14 topic groups', async (t) => {
  const world = await buildCatalogueWorld(t);
  const { catalogue, count } = await importCatalogueForYear(world.db, { year: 2026, fileName: 'binh-dinh.csv', bytes: binhDinhCsv });
  assert.equal(count, 167);
  assert.equal(catalogue.status, 'draft', 'an import without a decision fills a draft');
  const entries = await entriesOf(world.db, catalogue.id);
  assert.equal(entries.length, 167);
  assert.equal(new Set(entries.map((entry) => entry.topicId)).size, 14);
});

test('exporting a catalogue as XLSX or CSV and importing the file gives the same entries', async (t) => {
  const world = await buildCatalogueWorld(t);
  const { catalogue } = await importCatalogueForYear(world.db, { year: 2025, fileName: 'binh-dinh.csv', bytes: binhDinhCsv });
  // Fill the columns the plan leaves empty so that dates and frequencies make the round trip too.
  await world.db.execute(
    `update catalogue_entries set frequency = (array['weekly','monthly','quarterly','half_yearly','yearly','irregular'])[1 + number % 6], first_publication_date = date '2024-02-29' + number, notes = 'Ghi chú ' || number where catalogue_id = '${catalogue.id}'` as never,
  );
  const original = (await entriesOf(world.db, catalogue.id)).map(entryContent);

  const xlsx = await world.doit.get(`/admin/catalogue/${catalogue.id}/export.xlsx`);
  assert.equal(xlsx.statusCode, 200);
  assert.match(String(xlsx.headers['content-type']), /spreadsheetml/);
  const csv = await world.doit.get(`/admin/catalogue/${catalogue.id}/export.csv`);
  assert.equal(csv.statusCode, 200);

  for (const [year, fileName, bytes] of [
    [2026, 'danh-muc.xlsx', xlsx.rawPayload],
    [2027, 'danh-muc.csv', csv.rawPayload],
  ] as const) {
    const { catalogue: copy } = await importCatalogueForYear(world.db, { year, fileName, bytes });
    assert.deepEqual((await entriesOf(world.db, copy.id)).map(entryContent), original, fileName);
  }
});

test('the XLSX export is an administrative appendix: title, decision, bordered headers, A4 landscape, numbers as numbers', async (t) => {
  const world = await buildCatalogueWorld(t);
  const { catalogue } = await importCatalogueForYear(world.db, {
    year: 2026,
    fileName: 'binh-dinh.csv',
    bytes: binhDinhCsv,
    approve: { decisionNumber: '1542/QĐ-UBND', decisionDate: '2026-01-15', signer: 'Phó Chủ tịch' },
  });
  const response = await world.doit.get(`/admin/catalogue/${catalogue.id}/export.xlsx`);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  assert.match(String(sheet.getCell('A1').value), /^DANH MỤC DỮ LIỆU MỞ NĂM 2026/);
  assert.match(String(sheet.getCell('A2').value), /1542\/QĐ-UBND ngày 15\/01\/2026/);
  assert.equal(sheet.getCell('B4').value, 'Tên tập dữ liệu');
  assert.equal(sheet.getCell('B4').border?.top?.style, 'thin');
  assert.equal(sheet.getCell('A5').value, 1, 'TT is a number');
  assert.equal(sheet.pageSetup.orientation, 'landscape');
  assert.equal(sheet.pageSetup.paperSize, 9);
  assert.equal(sheet.pageSetup.printTitlesRow, '4:4');
  assert.equal(sheet.rowCount, 4 + 167);
});

test('a malformed import lists every problem with its row and column and stores nothing, at preview and at commit', async (t) => {
  const world = await buildCatalogueWorld(t);
  const { catalogue } = await importCatalogueForYear(world.db, { year: 2026, fileName: 'binh-dinh.csv', bytes: binhDinhCsv });
  const before = await entriesOf(world.db, catalogue.id);
  const bad = [
    'STT,Tên dữ liệu,Đơn vị chủ trì,Tần suất cập nhật,Ngày cung cấp lần đầu,Nhóm chủ đề',
    '1,Danh sách trường học,Sở Giáo dục và Đào tạo,Hằng quý,01/02/2026,Giáo dục',
    '2,Danh sách chợ,Sở Chợ Búa,Hằng tháng,,Kinh tế',
    '2,Danh sách bến xe,Sở Giao thông vận tải,Hằng năm,,Giao thông vận tải',
    '4,Giá vàng,Sở Tài chính,mỗi khi trời mưa,31/02/2026,Tài chính',
    '5,Danh sách thư viện,Sở Văn hóa và Thể thao,,,Thiên văn',
  ].join('\n');
  const preview = await uploadCatalogue(world, catalogue.id, 'sai.csv', bad);
  assert.equal(preview.statusCode, 422);
  const rows = [...preview.body.matchAll(/<tr><td class="num">([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2]]);
  assert.deepEqual(rows, [
    ['3', 'Đơn vị chủ trì'],
    ['4', 'STT'],
    ['5', 'Ngày cung cấp lần đầu'],
    ['5', 'Tần suất cập nhật'],
    ['6', 'Nhóm chủ đề'],
  ]);
  const text = pageText(preview.body);
  assert.match(text, /Không có cơ quan tên "Sở Chợ Búa"/);
  assert.match(text, /Số thứ tự 2 trùng với dòng 3/);
  assert.match(text, /Không nhận ra tần suất "mỗi khi trời mưa"/);
  assert.match(text, /Ngày "31\/02\/2026" không hợp lệ/);
  assert.match(text, /Không có nhóm chủ đề "Thiên văn"/);
  assert.doesNotMatch(preview.body, /import\/commit/, 'a file with problems cannot be confirmed');

  // A forged confirmation of the same file is checked again and refused whole.
  const commit = await world.doit.post(`/admin/catalogue/${catalogue.id}/import/commit`, { fileName: 'sai.csv', content: Buffer.from(bad).toString('base64') });
  assert.equal(commit.statusCode, 422);
  assert.match(pageText(commit.body), /Tệp có 5 lỗi; chưa có gì được lưu/);
  assert.deepEqual(await entriesOf(world.db, catalogue.id), before);
});

test('a file that is not a spreadsheet, or lacks the required columns, is refused with a sentence', async (t) => {
  const world = await buildCatalogueWorld(t);
  await world.doit.post('/admin/catalogue', { year: '2026' });
  const [catalogue] = await world.db.select().from(catalogues);
  const fake = await uploadCatalogue(world, catalogue.id, 'danh-muc.xlsx', Buffer.from('PK\u0003\u0004 this is no workbook'));
  assert.equal(fake.statusCode, 422);
  assert.match(pageText(fake.body), /không phải bảng tính Excel/);
  const columns = await uploadCatalogue(world, catalogue.id, 'danh-muc.csv', 'TT,Tên tập dữ liệu,Ghi chú\n1,Trường học,\n');
  assert.match(pageText(columns.body), /Đơn vị chủ trì cung cấp Thiếu cột này/);
  assert.match(pageText(columns.body), /Nhóm chủ đề Thiếu cột này/);
  assert.equal((await entriesOf(world.db, catalogue.id)).length, 0);
});

test('officials spell frequencies many ways: "Hằng quý", "6 tháng/lần", "Khi có thay đổi" and others all map', async (t) => {
  const world = await buildCatalogueWorld(t);
  const csv = [
    'TT,Tên tập dữ liệu,Đơn vị chủ trì cung cấp,Tần suất cung cấp,Nhóm chủ đề',
    '1,A,Sở Y tế,Hằng quý,"Y tế, Sức khỏe"',
    '2,B,Sở Y tế,6 tháng/lần,"Y tế, Sức khỏe"',
    '3,C,Sở Y tế,Khi có thay đổi,"Y tế, Sức khỏe"',
    '4,D,Sở Y tế,Hàng tháng,"Y tế, Sức khỏe"',
    '5,E,Sở Y tế,Hằng năm,"Y tế, Sức khỏe"',
    '6,F,Sở Y tế,hằng tuần,"Y tế, Sức khỏe"',
    '7,G,sở y tế,Năm một lần,y te suc khoe',
  ].join('\n');
  const { catalogue } = await importCatalogueForYear(world.db, { year: 2026, fileName: 'a.csv', bytes: Buffer.from(csv) });
  assert.deepEqual(
    (await entriesOf(world.db, catalogue.id)).map((entry) => entry.frequency),
    ['quarterly', 'half_yearly', 'irregular', 'monthly', 'yearly', 'weekly', 'yearly'],
  );
});

test('the import shows a preview first and stores the entries only when DOIT confirms', async (t) => {
  const world = await buildCatalogueWorld(t);
  await world.doit.get('/admin/catalogue');
  const created = await world.doit.post('/admin/catalogue', { year: '2026' });
  assert.equal(created.statusCode, 302);
  const [catalogue] = await world.db.select().from(catalogues);
  const preview = await uploadCatalogue(world, catalogue.id, 'binh-dinh.csv', binhDinhCsv);
  assert.equal(preview.statusCode, 200);
  assert.match(pageText(preview.body), /Tệp hợp lệ: 167 dòng sẽ thay thế 0 dòng hiện có/);
  assert.equal((await entriesOf(world.db, catalogue.id)).length, 0, 'the preview stores nothing');
  const fileName = /name="fileName" value="([^"]*)"/.exec(preview.body)?.[1] ?? '';
  const content = /name="content" value="([^"]*)"/.exec(preview.body)?.[1] ?? '';
  const commit = await world.doit.post(`/admin/catalogue/${catalogue.id}/import/commit`, { fileName, content });
  assert.equal(commit.statusCode, 302);
  assert.equal((await entriesOf(world.db, catalogue.id)).length, 167);
});
