import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import {
  conversionFormats,
  csvToCsv,
  csvToJson,
  csvToXlsx,
  csvToXml,
  neutraliseFormula,
} from '../../../src/modules/previews/convert.ts';
import { lazyCsv, sink, streamOf } from './fixtures.ts';

const schools = [
  'Tên trường,Huyện,Số học sinh,Tỷ lệ tốt nghiệp (%),Công lập,Ngày thành lập',
  'THPT Chu Văn Thịnh,Mai Sơn,"1.245","98,5",có,01/09/1965',
  'THPT Tô Hiệu,Thành phố Sơn La,980,"97,25",có,15/08/1958',
  'Trường Việt Đức,Mộc Châu,,"100",không,',
].join('\r\n');

test('conversion to JSON keeps Vietnamese text and types numbers', async () => {
  const { output, text } = sink();
  const result = await csvToJson(streamOf(schools), output);
  assert.deepEqual(result, { rows: 3 });
  const rows = JSON.parse(text());
  assert.deepEqual(rows[0], {
    'Tên trường': 'THPT Chu Văn Thịnh',
    Huyện: 'Mai Sơn',
    'Số học sinh': 1245,
    'Tỷ lệ tốt nghiệp (%)': 98.5,
    'Công lập': true,
    'Ngày thành lập': '01/09/1965',
  });
  assert.equal(rows[2]['Số học sinh'], null);
  assert.equal(rows[2]['Công lập'], false);
  assert.ok(text().includes('Trường Việt Đức'), 'UTF-8 text is written as is, not as \\u escapes');
});

test('conversion to JSON keeps codes with leading zeros and the order of year columns', async () => {
  const { output, text } = sink();
  await csvToJson(streamOf('Mã xã,2021,2020,\n04243,"1,5",2\n'), output);
  assert.equal(text().split('\n')[1], '{"Mã xã":"04243","2021":1.5,"2020":2,"column_4":""}');
});

test('conversion to XML escapes markup in values', async () => {
  const { output, text } = sink();
  const csv = 'Tên "đơn vị",Ghi chú\nUBND xã <Chiềng Ban>,"Thôn Bản Cưa & Nà Ản\u0001 \'mới\'"\n';
  const result = await csvToXml(streamOf(csv), output);
  assert.equal(result.rows, 1);
  assert.equal(
    text(),
    '<?xml version="1.0" encoding="UTF-8"?>\n<dataset>\n' +
      '<row><field name="Tên &quot;đơn vị&quot;">UBND xã &lt;Chiềng Ban&gt;</field>' +
      '<field name="Ghi chú">Thôn Bản Cưa &amp; Nà Ản &apos;mới&apos;</field></row>\n</dataset>\n',
  );
});

test('conversion to XLSX writes a formula-looking cell as text', async () => {
  const { output, bytes } = sink();
  const csv = 'Xã,Dân số,Ghi chú\nChiềng Mung,"12.500",=HYPERLINK("http://x.invalid";"Bấm")\nMường Bằng,-300,+1+2\n';
  const result = await csvToXlsx(streamOf(csv), output);
  assert.deepEqual(result, { rows: 2 });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes() as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  assert.deepEqual((sheet.getRow(1).values as unknown[]).slice(1), ['Xã', 'Dân số', 'Ghi chú']);
  const formula = sheet.getCell('C2');
  assert.equal(formula.type, ExcelJS.ValueType.String);
  assert.equal(formula.value, '=HYPERLINK("http://x.invalid";"Bấm")');
  assert.equal(sheet.getCell('C3').value, '+1+2');
  assert.equal(sheet.getCell('B2').value, 12500);
  assert.equal(sheet.getCell('B3').value, -300);
  assert.equal(sheet.getCell('A2').value, 'Chiềng Mung');
});

test('CSV re-export neutralises formula cells but keeps negative numbers', async () => {
  const { output, text } = sink();
  const csv = 'Huyện,Chênh lệch,Ghi chú\nSông Mã,-12.5,=1+1\nSốp Cộp,"-1.234,5",@SUM(A1)\nQuỳnh Nhai,+3,-\nBắc Yên,-2+3,"\ttab"\n';
  const result = await csvToCsv(streamOf(csv), output);
  assert.equal(result.rows, 4);
  assert.ok(text().startsWith('\uFEFF'), 'a BOM, so Excel reads UTF-8');
  const rows = Papa.parse<string[]>(text().slice(1), { skipEmptyLines: true }).data;
  assert.deepEqual(rows, [
    ['Huyện', 'Chênh lệch', 'Ghi chú'],
    ['Sông Mã', '-12.5', "'=1+1"],
    ['Sốp Cộp', '-1.234,5', "'@SUM(A1)"],
    ['Quỳnh Nhai', '+3', '-'],
    ['Bắc Yên', "'-2+3", "'\ttab"],
  ]);
});

test('a formula hidden after a line break is still neutralised', () => {
  assert.equal(neutraliseFormula('=1+1\nghi chú'), "'=1+1\nghi chú");
  assert.equal(neutraliseFormula('-12\n=1'), "'-12\n=1");
  assert.equal(neutraliseFormula('Sơn La'), 'Sơn La');
});

test('a conversion waits for a slow reader and writes every row', async () => {
  const { stream } = lazyCsv(20_000, 100);
  let written = 0;
  let mostBuffered = 0;
  // A reader that takes each chunk only on a later turn of the event loop.
  const output = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      mostBuffered = Math.max(mostBuffered, this.writableLength);
      setImmediate(callback);
    },
  });
  const result = await csvToJson(stream, output);
  assert.equal(result.rows, 20_000);
  assert.ok(written > 20_000 * 30);
  // Ignoring backpressure would queue the whole output (600 KB+) in the writable.
  assert.ok(mostBuffered <= 2 * 64 * 1024, `${mostBuffered} bytes were queued`);
});

test('the formats a resource can be downloaded in', () => {
  assert.deepEqual(Object.keys(conversionFormats), ['csv', 'json', 'xml', 'xlsx']);
  assert.equal(conversionFormats.xlsx.extension, 'xlsx');
});

test('a read error ends the conversion with that error', async () => {
  const { Readable } = await import('node:stream');
  const input = new Readable({
    read() {
      this.push('Xã,Số hộ\nChiềng Sinh,120\n');
      this.destroy(new Error('ổ đĩa lỗi'));
    },
  });
  const { output } = sink();
  await assert.rejects(csvToXml(input, output), /ổ đĩa lỗi/);
  assert.equal(output.destroyed, true);
});
