import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPiiScanner, foldHeader, maskValue } from '../../../src/modules/tabular/pii-scan.ts';

function scan(columns: string[], rows: string[][]) {
  const scanner = createPiiScanner(columns);
  for (const row of rows) scanner.add(row);
  return scanner.flags();
}

test('a column of CCCD numbers is flagged as citizen ids', () => {
  const flags = scan(['Mã hồ sơ', 'Giấy tờ'], [
    ['HS1', '079012341234'],
    ['HS2', '001190001234'],
    ['HS3', '052301009999'],
  ]);
  assert.deepEqual(flags, [{ column: 'Giấy tờ', kind: 'citizen_id', reason: 'values', matches: 3, sample: '0790****1234' }]);
});

test('a 12-digit number without a province code is not a CCCD', () => {
  assert.deepEqual(scan(['Mã'], [['999012341234'], ['097012341234'], ['000012341234']]), []);
});

test('a header named Số điện thoại is flagged even when empty', () => {
  const flags = scan(['STT', 'Số điện thoại'], [['1', ''], ['2', '']]);
  assert.deepEqual(flags, [{ column: 'Số điện thoại', kind: 'phone', reason: 'header', matches: 0 }]);
});

test('headers are matched without accents or case', () => {
  const flags = scan(['HỌ VÀ TÊN', 'so cmnd', 'Ngày sinh', 'SĐT', 'Thư điện tử', 'Tên đơn vị'], []);
  assert.deepEqual(
    flags.map(({ column, kind }) => [column, kind]),
    [
      ['HỌ VÀ TÊN', 'personal_name'],
      ['so cmnd', 'old_id'],
      ['Ngày sinh', 'birth_date'],
      ['SĐT', 'phone'],
      ['Thư điện tử', 'email'],
    ],
  );
  assert.equal(foldHeader('  Số  ĐT/Zalo '), 'so dt zalo');
});

test('mobiles, emails and CMND numbers are flagged by their values', () => {
  const flags = scan(['Liên hệ', 'Hộp thư', 'Giấy tờ cũ'], [
    ['0912 345 678', 'an.nguyen@gmail.com', '201234567'],
    ['+84 98.765.4321', 'binh@yahoo.com', '024123456'],
    ['', '', ''],
  ]);
  assert.deepEqual(
    flags.map(({ column, kind, reason, matches }) => [column, kind, reason, matches]),
    [
      ['Liên hệ', 'phone', 'values', 2],
      ['Hộp thư', 'email', 'values', 2],
      ['Giấy tờ cũ', 'old_id', 'values', 2],
    ],
  );
  assert.equal(flags[0].sample, '091****678');
  assert.equal(flags[1].sample, 'a***@gmail.com');
});

test('year and amount columns are not flagged', () => {
  const flags = scan(['Năm', 'Số tiền', 'Điện thoại cơ quan', 'Dân số'], [
    ['2021', '123456789.5', '0256 3822 123', '1234567'],
    ['2022', '98765432.25', '0256.3812.456', '2345678'],
    ['2023', '1.234.567,5', '02563822999', '3456789'],
  ]);
  assert.deepEqual(flags, []);
});

test('a column is flagged by values only when enough of them match', () => {
  const rows = Array.from({ length: 10 }, (_, i) => [i < 2 ? '0912345678' : `Ghi chú ${i}`]);
  assert.deepEqual(scan(['Ghi chú'], rows), []);
  const more = Array.from({ length: 10 }, (_, i) => [i < 4 ? '0912345678' : `Ghi chú ${i}`]);
  assert.equal(scan(['Ghi chú'], more).length, 1);
});

test('masked samples keep only the ends of a value', () => {
  assert.equal(maskValue('079012341234'), '0790****1234');
  assert.equal(maskValue('Nguyễn Văn An'), 'N*** V*** A***');
});
