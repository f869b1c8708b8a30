import assert from 'node:assert/strict';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import {
  detectFileType,
  expectedFormatByExtension,
  FILE_TYPE_HEAD_BYTES,
} from '../../../src/modules/tabular/file-type.ts';

const pdf = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
// A ZIP local file header for "data.txt", written by hand.
const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0]), Buffer.alloc(16), Buffer.from([8, 0, 0, 0]), Buffer.from('data.txt')]);

async function readHead(path: string): Promise<Buffer> {
  const file = await open(path);
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(FILE_TYPE_HEAD_BYTES), 0, FILE_TYPE_HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

test('a PDF named .csv is a mismatch', () => {
  assert.deepEqual(detectFileType(pdf, 'bao-cao.csv'), { error: 'mismatch', expected: 'CSV', detected: 'PDF' });
  assert.deepEqual(detectFileType(pdf, 'bao-cao.pdf'), { format: 'PDF', mediaType: 'application/pdf' });
});

test('a ZIP named .csv is a mismatch', () => {
  assert.deepEqual(detectFileType(zip, 'du-lieu.CSV'), { error: 'mismatch', expected: 'CSV', detected: 'ZIP' });
  assert.deepEqual(detectFileType(zip, 'du-lieu.zip'), { format: 'ZIP', mediaType: 'application/zip' });
});

test('an XLSX is recognised by content', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'file-type-'));
  try {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Trang 1').addRow(['Mã', 'Tên']);
    const path = join(dir, 'bang.xlsx');
    await workbook.xlsx.writeFile(path);
    const head = await readHead(path);
    const xlsx = { format: 'XLSX', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
    assert.deepEqual(detectFileType(head, 'bang.xlsx'), xlsx);
    assert.deepEqual(detectFileType(head, 'tai-ve'), xlsx);
    assert.deepEqual(detectFileType(head, 'bang.csv'), { error: 'mismatch', expected: 'CSV', detected: 'XLSX' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a legacy Excel file is recognised by its OLE2 signature', () => {
  const ole2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
  assert.equal((detectFileType(ole2, 'so-lieu.xls') as { format: string }).format, 'XLS');
  assert.deepEqual(detectFileType(ole2, 'so-lieu.csv'), { error: 'mismatch', expected: 'CSV', detected: 'XLS' });
});

test('an HTML page saved as .xls is a mismatch', () => {
  const html = Buffer.from('<html><body><table><tr><td>1</td></tr></table></body></html>');
  assert.deepEqual(detectFileType(html, 'xuat.xls'), { error: 'mismatch', expected: 'XLS', detected: 'HTML' });
});

test('text files are recognised with their encoding', () => {
  assert.deepEqual(detectFileType(Buffer.from('\uFEFFMã;Tên\n1;A\n'), 'a.csv'), {
    format: 'CSV',
    mediaType: 'text/csv',
    encoding: 'utf-8-bom',
  });
  assert.deepEqual(detectFileType(Buffer.from('Mã,Tên\n1,A\n', 'utf16le'), 'a.csv'), {
    format: 'CSV',
    mediaType: 'text/csv',
    encoding: 'utf-16le',
  });
  assert.equal((detectFileType(Buffer.from('a\tb\n1\t2\n'), 'a.tsv') as { format: string }).format, 'TSV');
  assert.equal((detectFileType(Buffer.from('a\tb\n1\t2\n'), 'khong-duoi') as { format: string }).format, 'TSV');
  // A header cell in brackets is not JSON.
  assert.equal((detectFileType(Buffer.from('[Mã],[Tên]\n1,A\n'), 'a.csv') as { format: string }).format, 'CSV');
});

test('JSON, GeoJSON and XML are recognised', () => {
  const geojson = Buffer.from('  {"type": "FeatureCollection", "features": []}');
  assert.deepEqual(detectFileType(geojson, 'ranh-gioi.geojson'), { format: 'GEOJSON', mediaType: 'application/geo+json', encoding: 'utf-8' });
  assert.equal((detectFileType(geojson, 'ranh-gioi.json') as { format: string }).format, 'GEOJSON');
  assert.equal((detectFileType(Buffer.from('[{"a": 1}]'), 'a.json') as { format: string }).format, 'JSON');
  assert.equal((detectFileType(Buffer.from('<?xml version="1.0"?><root/>'), 'a.xml') as { format: string }).format, 'XML');
  assert.deepEqual(detectFileType(Buffer.from('{"a": 1}'), 'a.csv'), { error: 'mismatch', expected: 'CSV', detected: 'JSON' });
});

test('binary content, empty files and unknown names are reported', () => {
  assert.deepEqual(detectFileType(Buffer.alloc(0), 'a.csv'), { error: 'empty' });
  assert.deepEqual(detectFileType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]), 'anh.csv'), {
    error: 'unknown',
    expected: 'CSV',
  });
  assert.deepEqual(detectFileType(Buffer.from([1, 0, 2, 0, 3, 0xff, 0, 0]), 'du-lieu.bin'), { error: 'unknown' });
  assert.equal((detectFileType(Buffer.from('a,b\n'), 'x.constructor') as { format: string }).format, 'CSV');
});

test('the extension table maps the usual extensions', () => {
  assert.equal(expectedFormatByExtension.csv, 'CSV');
  assert.equal(expectedFormatByExtension.xlsx, 'XLSX');
  assert.equal(expectedFormatByExtension.geojson, 'GEOJSON');
});
