import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { previewCsv, previewJson } from '../../../src/modules/previews/table-preview.ts';
import { xlsxAsCsv } from '../../../src/modules/previews/xlsx-rows.ts';
import { lazyCsv, streamOf } from './fixtures.ts';

test('a preview reads only the first rows of a large file', async () => {
  const { stream, stats } = lazyCsv(1_000_000);
  const preview = await previewCsv(stream, { rows: 100 });
  assert.equal(preview.rows.length, 100);
  assert.equal(preview.truncated, true);
  assert.deepEqual(preview.rows[0], ['0', 'Xã Chiềng 0', '0']);
  assert.deepEqual(preview.columns, [
    { name: 'Mã xã', type: 'integer' },
    { name: 'Tên xã', type: 'text' },
    { name: 'Dân số', type: 'integer' },
  ]);
  // 100,000 chunks make the file; a few hundred at most are read before the stream is destroyed.
  assert.ok(stats.pulled < 500, `pulled ${stats.pulled} chunks`);
  assert.equal(stream.destroyed, true);
});

test('a preview of a short file is not truncated and pads short rows', async () => {
  const preview = await previewCsv(streamOf('\uFEFFHuyện,Diện tích (ha)\r\nMộc Châu,"107.256,5"\r\nYên Châu\r\n'));
  assert.equal(preview.truncated, false);
  assert.deepEqual(preview.rows, [
    ['Mộc Châu', '107.256,5'],
    ['Yên Châu', ''],
  ]);
  assert.deepEqual(preview.columns, [
    { name: 'Huyện', type: 'text' },
    { name: 'Diện tích (ha)', type: 'number' },
  ]);
});

test('an empty CSV previews as an empty table', async () => {
  assert.deepEqual(await previewCsv(streamOf('')), { columns: [], rows: [], truncated: false, columnCount: 0 });
});

test('a JSON preview takes columns from the keys of the first rows', async () => {
  const json = JSON.stringify({
    data: [
      { 'Tên trường': 'THPT Chu Văn Thịnh', 'Số học sinh': 1200 },
      { 'Tên trường': 'THPT Tô Hiệu', 'Công lập': true, 'Địa chỉ': { xã: 'Chiềng Sinh' } },
      { 'Tên trường': 'THPT Mai Sơn' },
    ],
  });
  const preview = await previewJson(streamOf(json), { rows: 2 });
  assert.ok(!('error' in preview));
  assert.deepEqual(
    preview.columns.map((column) => column.name),
    ['Tên trường', 'Số học sinh', 'Công lập', 'Địa chỉ'],
  );
  assert.deepEqual(preview.rows[1], ['THPT Tô Hiệu', '', 'true', '{"xã":"Chiềng Sinh"}']);
  assert.equal(preview.columns[1].type, 'integer');
  assert.equal(preview.truncated, true);
});

test('a JSON file larger than the limit is not previewed', async () => {
  const rows = Array.from({ length: 2000 }, (_, i) => ({ 'Mã': i, 'Tên': `Bản ${i}` }));
  const input = streamOf(JSON.stringify(rows), 1024);
  assert.deepEqual(await previewJson(input, { maxBytes: 10_000 }), { error: 'too_large' });
  assert.equal(input.destroyed, true);
});

test('a JSON file that is not a table says so', async () => {
  assert.deepEqual(await previewJson(streamOf('{"tên": "Sơn La"}')), { error: 'not_tabular' });
  assert.deepEqual(await previewJson(streamOf('[{"a": 1},')), { error: 'invalid_json' });
});

async function pharmacyWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Nhà thuốc');
  sheet.addRow(['Tên', 'Phường']);
  sheet.addRow(['Nhà thuốc Hòa Bình', 'Lê Lợi']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A file whose reading fails after its first bytes, as a disk or a network store can. */
function failingAfter(bytes: Buffer, error: Error): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (sent) this.destroy(error);
      else {
        sent = true;
        this.push(bytes.subarray(0, 64));
      }
    },
  });
}

test('a read error in the middle of an XLSX fails its preview with that error instead of stopping the server', async () => {
  const bytes = await pharmacyWorkbook();
  const error = new Error('đọc tệp thất bại');
  await assert.rejects(previewCsv(xlsxAsCsv(async () => failingAfter(bytes, error))), /đọc tệp thất bại/);
});

test('an XLSX read that trips over exceljs’s entry order is read again from the start', async () => {
  const bytes = await pharmacyWorkbook();
  let opened = 0;
  const open = async () => {
    opened += 1;
    // What exceljs throws when it meets a worksheet before workbook.xml.
    return opened === 1 ? failingAfter(bytes, new TypeError("Cannot read properties of undefined (reading 'sheets')")) : Readable.from([bytes]);
  };
  const preview = await previewCsv(xlsxAsCsv(open));
  assert.equal(opened, 2);
  assert.deepEqual(preview.rows, [['Nhà thuốc Hòa Bình', 'Lê Lợi']]);
});
