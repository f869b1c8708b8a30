import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import Papa from 'papaparse';
import { parseCatalogueCsv } from '../../../src/modules/catalogue/catalogue-csv.ts';
import { demoAgencies, demoTopics, fillDemoEntry } from '../../../src/modules/demo/demo-catalogue.ts';
import { generateDemoTable } from '../../../src/modules/demo/demo-tables.ts';
import { createRng, seedFromString } from '../../../src/modules/demo/rng.ts';
import { slugify } from '../../../src/lib/slug.ts';
import { updateFrequencies } from '../../../src/modules/datasets/datasets.table.ts';

// The demo's own copy of the Bình Định catalogue: the repository stands alone.
const catalogueText = readFileSync(new URL('../../../src/modules/demo/binh-dinh-catalogue.csv', import.meta.url), 'utf8');
const { entries, errors } = parseCatalogueCsv(catalogueText);

test('the Bình Định catalogue parses into 167 entries in 14 topic groups', () => {
  assert.deepEqual(errors, []);
  assert.equal(entries.length, 167);
  assert.equal(new Set(entries.map((entry) => entry.topicName)).size, 14);
  assert.deepEqual(
    entries.map((entry) => entry.number),
    Array.from({ length: 167 }, (_, i) => i + 1),
  );
  assert.equal(entries[110].topicName, 'Văn hóa, Du lịch', 'a quoted topic with a comma stays one field');
});

test('every agency and topic named in the catalogue has demo metadata', () => {
  const agencyNames = new Set(demoAgencies.map((agency) => agency.name));
  const topicNames = new Set(demoTopics.map((topic) => topic.nameVi));
  for (const entry of entries) {
    assert.ok(agencyNames.has(entry.agencyName), `agency "${entry.agencyName}"`);
    assert.ok(topicNames.has(entry.topicName), `topic "${entry.topicName}"`);
  }
  assert.equal(demoTopics.length, 14);
  assert.equal(new Set(demoAgencies.map((agency) => agency.slug)).size, demoAgencies.length, 'agency slugs are unique');
  assert.equal(demoAgencies.filter((agency) => agency.kind === 'district_committee').length, 11);
  assert.equal(demoAgencies.find((agency) => agency.name === 'Bảo hiểm xã hội tỉnh')?.kind, 'central_agency');
  for (const agency of demoAgencies) {
    assert.match(agency.email, /^[a-z]+@binhdinh\.gov\.vn$/);
    assert.match(agency.phone, /^0256 \d{3} \d{4}$/);
    assert.match(agency.website, /^https:\/\/[a-z]+\.binhdinh\.gov\.vn$/);
  }
});

test('the same entry always generates the same CSV', () => {
  for (const entry of entries) {
    const first = generateDemoTable(entry);
    const second = generateDemoTable({ ...entry });
    assert.equal(first.csv, second.csv, `entry ${entry.number}`);
    assert.deepEqual(fillDemoEntry(entry), fillDemoEntry({ ...entry }));
  }
});

test('generated tables are well-formed CSV of 20 to 300 rows with an ASCII file name', () => {
  for (const entry of entries) {
    const table = generateDemoTable(entry);
    const parsed = Papa.parse<string[]>(table.csv, { skipEmptyLines: true });
    assert.deepEqual(parsed.errors, [], `entry ${entry.number}`);
    assert.deepEqual(parsed.data[0], table.columns);
    assert.equal(parsed.data.length - 1, table.rowCount);
    assert.ok(table.rowCount >= 20 && table.rowCount <= 300, `entry ${entry.number} has ${table.rowCount} rows`);
    assert.ok(parsed.data.every((row) => row.length === table.columns.length), `entry ${entry.number} rows are rectangular`);
    assert.match(table.fileName, /^[a-z0-9]+(-[a-z0-9]+)*\.csv$/);
  }
});

test('generated tables have no column that looks like personal data', () => {
  const idNumber = /^\d{9}$|^\d{12}$/; // old CMND (9 digits) and CCCD (12 digits)
  const mobile = /(^|\D)(\+?84|0)[35789]\d{8}(\D|$)/;
  const email = /@/;
  for (const entry of entries) {
    const table = generateDemoTable(entry);
    for (const column of table.columns) assert.doesNotMatch(column, /họ tên|họ và tên|cccd|cmnd|điện thoại|email|ngày sinh/i);
    const cells = Papa.parse<string[]>(table.csv, { skipEmptyLines: true }).data.slice(1).flat();
    for (const cell of cells) {
      assert.doesNotMatch(cell, idNumber, `entry ${entry.number}: "${cell}"`);
      assert.doesNotMatch(cell.replace(/[ .]/g, ''), mobile, `entry ${entry.number}: "${cell}"`);
      assert.doesNotMatch(cell, email, `entry ${entry.number}: "${cell}"`);
    }
  }
});

test('every entry is filled with a description, a known frequency, a 2023–2025 date and 2–4 tags', () => {
  for (const entry of entries) {
    const filled = fillDemoEntry(entry);
    const sentences = filled.description.split(/(?<=\.) /);
    assert.ok(sentences.length >= 2 && sentences.length <= 4, `entry ${entry.number}: ${sentences.length} sentences`);
    assert.ok(updateFrequencies.includes(filled.updateFrequency));
    assert.match(filled.firstPublicationDate, /^202[345]-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])$/);
    assert.ok(filled.tags.length >= 2 && filled.tags.length <= 4, `entry ${entry.number}: ${filled.tags.join(', ')}`);
    for (const tag of filled.tags) assert.equal(tag, tag.toLowerCase());
  }
  const prices = fillDemoEntry(entries.find((entry) => entry.title === 'Dữ liệu giá vật liệu xây dựng')!);
  assert.equal(prices.updateFrequency, 'monthly');
});

test('a catalogue row without a title is reported with its row number', () => {
  const csv = [
    'TT,Tên tập dữ liệu,Mô tả,Đơn vị chủ trì cung cấp,Ngày cung cấp lần đầu,Tần suất cung cấp,Ghi chú,Nhóm chủ đề',
    '1,Dữ liệu các chợ,,Sở Công Thương,,,,Kinh tế',
    '2,,,Sở Y tế,,,,"Y tế, Sức khỏe"',
    '3,Dữ liệu các bến xe,,,,,,Giao thông vận tải',
  ].join('\r\n');
  const result = parseCatalogueCsv(csv);
  assert.equal(result.entries.length, 1);
  assert.deepEqual(
    result.errors.map((error) => error.row),
    [3, 4],
  );
  assert.deepEqual(result.errors[0], { row: 3, column: 'Tên tập dữ liệu', key: 'catalogue.problem_required', params: undefined });
  assert.equal(result.errors[1].column, 'Đơn vị chủ trì cung cấp');
});

test('catalogue parsing tolerates a BOM, spaces, English headers, Vietnamese frequencies and both date styles', () => {
  const csv =
    '\uFEFF number , title ,description, agency ,first_publication_date,frequency,notes,topic\n' +
    '7, Dữ liệu giá thuốc ,,Sở Y tế, 01/05/2023 ,Hàng tháng,,"Y tế, Sức khỏe"\n' +
    '8,Danh sách nhà thuốc,,Sở Y tế,2024-02-29,khi có thay đổi,,"Y tế, Sức khỏe"\n' +
    '9,Chỉ số giá,,Sở Xây dựng,,Hằng quý,,Xây dựng\n' +
    '10,Niên giám,,Sở Tài chính,31/02/2024,6 tháng,,Tài chính\n';
  const { entries: parsed, errors: problems } = parseCatalogueCsv(csv);
  assert.deepEqual(
    parsed.map((entry) => [entry.number, entry.title, entry.firstPublicationDate, entry.frequency]),
    [
      [7, 'Dữ liệu giá thuốc', '2023-05-01', 'monthly'],
      [8, 'Danh sách nhà thuốc', '2024-02-29', 'irregular'],
      [9, 'Chỉ số giá', null, 'quarterly'],
    ],
  );
  assert.equal(problems.length, 1);
  assert.equal(problems[0].row, 5);
  assert.deepEqual(problems[0].params, { value: '31/02/2024' });
});

test('slugify folds Vietnamese diacritics and đ', () => {
  assert.equal(slugify('Sở Giáo dục và Đào tạo'), 'so-giao-duc-va-dao-tao');
  assert.equal(slugify('Y tế, Sức khỏe'), 'y-te-suc-khoe');
  assert.equal(slugify('  Đường Trần Hưng Đạo — số 12!  '), 'duong-tran-hung-dao-so-12');
  assert.equal(slugify('Thủy Quỳnh Ưng Ơn'), 'thuy-quynh-ung-on');
  const long = slugify('Dữ liệu cấp giấy phép thăm dò, khai thác sử dụng tài nguyên nước', 30);
  assert.ok(long.length <= 30 && !long.endsWith('-'), long);
});

test('the seeded generator repeats itself for the same seed and differs for another', () => {
  const draw = (seed: number) => {
    const rng = createRng(seed);
    return Array.from({ length: 5 }, () => rng.int(1, 1_000_000));
  };
  assert.deepEqual(draw(seedFromString('bình định')), draw(seedFromString('bình định')));
  assert.notDeepEqual(draw(seedFromString('bình định')), draw(seedFromString('quy nhơn')));
  // Pinned values: a change to the algorithm would silently change every demo file.
  assert.equal(seedFromString('abc'), 440920331); // FNV-1a reference value
  assert.deepEqual(draw(42), [601104, 448291, 852466, 669735, 174814]);
});
