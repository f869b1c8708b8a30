import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { inspectXlsx } from '../../../src/modules/tabular/xlsx-inspect.ts';

let dir: string;
let path: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-inspect-'));
  path = join(dir, 'dan-so.xlsx');
  const workbook = new ExcelJS.Workbook();
  const people = workbook.addWorksheet('Dân số');
  people.addRow(['Huyện', 'Dân số', 'Ngày thống kê', 'Ghi chú', 'Gấp đôi', 'Số điện thoại']);
  people.addRow([
    'Quy Nhơn',
    290000,
    new Date(Date.UTC(2024, 0, 5)),
    { richText: [{ text: 'Thành ' }, { font: { bold: true }, text: 'phố' }] },
    { formula: 'B2*2', result: 580000 },
  ]);
  people.addRow(['An Nhơn', 180000, new Date(Date.UTC(2024, 1, 6)), 'Thị xã', { formula: 'B3*2', result: 360000 }]);
  people.addRow(['Hoài Ân', 90000]);
  const other = workbook.addWorksheet('Ghi chú');
  other.addRow(['Nguồn']);
  other.addRow(['Cục Thống kê']);
  await workbook.xlsx.writeFile(path);
});

after(() => rm(dir, { recursive: true, force: true }));

test('xlsx inspection reads the first sheet and lists sheet names', async () => {
  const report = await inspectXlsx(path);
  assert.deepEqual(report.sheetNames, ['Dân số', 'Ghi chú']);
  assert.equal(report.sheet, 'Dân số');
  assert.equal(report.rowCount, 3);
  assert.deepEqual(
    report.columns.map(({ name, type }) => [name, type]),
    [
      ['Huyện', 'text'],
      ['Dân số', 'integer'],
      ['Ngày thống kê', 'date'],
      ['Ghi chú', 'text'],
      ['Gấp đôi', 'integer'],
      ['Số điện thoại', 'empty'],
    ],
  );
  // Dates become ISO dates, rich text plain text, formulas their result; short rows are padded.
  assert.deepEqual(report.previewRows, [
    ['Quy Nhơn', '290000', '2024-01-05', 'Thành phố', '580000', ''],
    ['An Nhơn', '180000', '2024-02-06', 'Thị xã', '360000', ''],
    ['Hoài Ân', '90000', '', '', '', ''],
  ]);
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.piiFlags, [{ column: 'Số điện thoại', kind: 'phone', reason: 'header', matches: 0 }]);
});

test('xlsx inspection reads a sheet chosen by name', async () => {
  const report = await inspectXlsx(path, { sheet: 'Ghi chú' });
  assert.equal(report.sheet, 'Ghi chú');
  assert.deepEqual(report.columns, [{ name: 'Nguồn', type: 'text' }]);
  assert.deepEqual(report.previewRows, [['Cục Thống kê']]);
});

test('a missing sheet is reported', async () => {
  const report = await inspectXlsx(path, { sheet: 'Không có' });
  assert.deepEqual(report.problems, [{ code: 'sheet_not_found' }]);
  assert.deepEqual(report.sheetNames, ['Dân số', 'Ghi chú']);
  assert.equal(report.sheet, undefined);
});

test('a file that cannot be read fails the inspection with the reason instead of stopping the server', async () => {
  // Reading a directory fails after it is opened, as a disk error would.
  const directory = await mkdtemp(join(tmpdir(), 'portal-unreadable-'));
  try {
    await assert.rejects(inspectXlsx(directory), /EISDIR/);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
