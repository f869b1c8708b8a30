import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { test } from 'node:test';
import { inspectAndNormaliseCsv, inspectCsv } from '../../../src/modules/tabular/csv-inspect.ts';

/** The bytes as a stream, in chunks of `chunkSize` to exercise chunk boundaries. */
function streamOf(bytes: Buffer | string, chunkSize = 7): Readable {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += chunkSize) chunks.push(buffer.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

function collector() {
  const parts: Buffer[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      parts.push(chunk);
      callback();
    },
  });
  return { output, text: () => Buffer.concat(parts).toString('utf8') };
}

test('a UTF-8 file with a BOM is read without the BOM', async () => {
  const report = await inspectCsv(streamOf('\uFEFFMã,Tên\n1,Quy Nhơn\n'));
  assert.equal(report.encoding, 'utf-8-bom');
  assert.deepEqual(report.columns.map((column) => column.name), ['Mã', 'Tên']);
  assert.deepEqual(report.previewRows, [['1', 'Quy Nhơn']]);
  assert.deepEqual(report.problems, []);
});

test('a UTF-16LE file is decoded', async () => {
  const report = await inspectCsv(streamOf(Buffer.from('\uFEFFMã\tTên\r\n1\tHà Nội\r\n', 'utf16le'), 5));
  assert.equal(report.encoding, 'utf-16le');
  assert.equal(report.delimiter, '\t');
  assert.deepEqual(report.columns.map((column) => column.name), ['Mã', 'Tên']);
  assert.deepEqual(report.previewRows, [['1', 'Hà Nội']]);
});

test('a Windows-1258 file becomes NFC UTF-8', async () => {
  // "Tiếng Việt;Số\r\nA;1\r\n" in Windows-1258: ê (0xEA) + combining acute (0xEC) / dot below (0xF2), "ố" = ô (0xF4) + 0xEC.
  const bytes = Buffer.concat([
    Buffer.from([0x54, 0x69, 0xea, 0xec, 0x6e, 0x67, 0x20, 0x56, 0x69, 0xea, 0xf2, 0x74]),
    Buffer.from(';S'),
    Buffer.from([0xf4, 0xec]),
    Buffer.from('\r\nA;1\r\n'),
  ]);
  assert.equal(new TextDecoder('windows-1258').decode(bytes).normalize('NFC'), 'Tiếng Việt;Số\r\nA;1\r\n');
  const { output, text } = collector();
  const report = await inspectAndNormaliseCsv(streamOf(bytes, 3), output);
  assert.equal(report.encoding, 'windows-1258');
  assert.deepEqual(report.columns.map((column) => column.name), ['Tiếng Việt', 'Số']);
  assert.deepEqual(report.problems, [{ code: 'encoding_fallback' }]);
  assert.equal(text(), 'Tiếng Việt;Số\r\nA;1\r\n');
});

test('the normalised copy of a UTF-8 file has no BOM and the same text', async () => {
  const source = 'Mã,Ghi chú\n1,"Dòng một\nDòng hai"\n2,"có dấu ""phẩy"", ở đây"\n';
  const { output, text } = collector();
  const report = await inspectAndNormaliseCsv(streamOf(`\uFEFF${source}`, 4), output);
  assert.equal(text(), source);
  assert.equal(report.rowCount, 2);
  assert.deepEqual(report.previewRows[1], ['2', 'có dấu "phẩy", ở đây']);
});

test('a semicolon- and a tab-separated file are split correctly', async () => {
  const semicolon = await inspectCsv(streamOf('Huyện;Dân số;Diện tích\nAn Lão;30.000;690,2\nHoài Nhơn;240.000;420,8\n'));
  assert.equal(semicolon.delimiter, ';');
  assert.deepEqual(semicolon.previewRows[0], ['An Lão', '30.000', '690,2']);
  assert.equal(semicolon.columns.length, 3);

  const tab = await inspectCsv(streamOf('Huyện\tDân số, người\nAn Lão\t30000\n'));
  assert.equal(tab.delimiter, '\t');
  assert.deepEqual(tab.columns.map((column) => column.name), ['Huyện', 'Dân số, người']);
  assert.deepEqual(tab.problems, []);
});

test('rows with the wrong number of columns are listed with their line numbers, at most 20', async () => {
  const lines = ['a,b,c'];
  for (let i = 0; i < 60; i++) lines.push(i % 2 === 0 ? '1,2,3' : '1,2');
  const report = await inspectCsv(streamOf(lines.join('\n') + '\n', 64));
  const wrong = report.problems.filter((problem) => problem.code === 'wrong_column_count');
  assert.equal(wrong.length, 20);
  assert.equal(report.wrongColumnCountTotal, 30);
  assert.equal(report.rowCount, 60);
  // The header is line 1, so the first short row (the second data row) is line 3.
  assert.deepEqual(wrong[0], { code: 'wrong_column_count', row: 3, expected: 3, actual: 2 });
  assert.deepEqual(wrong.map((problem) => problem.row).slice(0, 3), [3, 5, 7]);
});

test('the number of reported rows can be chosen', async () => {
  const report = await inspectCsv(streamOf('a,b\n1\n2\n3\n4,5\n'), { maxReportedErrors: 2, previewRows: 1 });
  assert.equal(report.problems.length, 2);
  assert.equal(report.wrongColumnCountTotal, 3);
  assert.deepEqual(report.previewRows, [['1']]);
});

test('empty and duplicate headers are reported', async () => {
  const report = await inspectCsv(streamOf('Mã,,Tên,mã\n1,2,3,4\n'));
  assert.deepEqual(report.problems, [
    { code: 'empty_header', columnIndex: 2 },
    { code: 'duplicate_header', column: 'mã', columnIndex: 4 },
  ]);
});

test('an empty file is reported as empty', async () => {
  assert.deepEqual((await inspectCsv(streamOf(''))).problems, [{ code: 'empty_file' }]);
  assert.deepEqual((await inspectCsv(streamOf('\r\n\r\n'))).problems, [{ code: 'empty_file' }]);
  const headerOnly = await inspectCsv(streamOf('Mã,Tên\n'));
  assert.deepEqual(headerOnly.problems, [{ code: 'no_rows' }]);
  assert.equal(headerOnly.rowCount, 0);
});

test('column types are inferred', async () => {
  const csv = [
    'Số lượng,Giá,Ngày,Tháng,Đạt,Mã xã,Ghi chú,Trống',
    '12,"1.234,5",01/02/2024,01/2024,có,00123,A,',
    '-3,1234.5,2024-02-29,12/2023,không,00456,,',
    ',"1234,5",,,,00789,12,',
  ].join('\n');
  const report = await inspectCsv(streamOf(csv));
  assert.deepEqual(
    report.columns.map((column) => column.type),
    ['integer', 'number', 'date', 'date', 'boolean', 'text', 'text', 'empty'],
  );
});

test('an impossible date is text', async () => {
  const report = await inspectCsv(streamOf('Ngày\n31/13/2024\n'));
  assert.equal(report.columns[0].type, 'text');
});

test('personal data in a CSV is flagged', async () => {
  const report = await inspectCsv(streamOf('STT,Họ tên,Giấy tờ\n1,Nguyễn Văn An,079012341234\n2,Trần Thị Bình,001190001234\n'));
  assert.deepEqual(
    report.piiFlags.map(({ column, kind, reason }) => [column, kind, reason]),
    [
      ['Họ tên', 'personal_name', 'header'],
      ['Giấy tờ', 'citizen_id', 'values'],
    ],
  );
});
