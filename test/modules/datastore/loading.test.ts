import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../src/db/client.ts';
import { createDatastoreLoader } from '../../../src/modules/datastore/datastore.service.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { datastoreRelations, publishCsv, records, tableState } from './datastore-helpers.ts';

/** Windows-1258 bytes of a string: precomposed where the code page has the letter, combining tone marks otherwise. */
function windows1258(text: string): Buffer {
  const table: Record<string, number> = {
    'Ă': 0xc3, 'ă': 0xe3, 'Â': 0xc2, 'â': 0xe2, 'Ê': 0xca, 'ê': 0xea, 'Ô': 0xd4, 'ô': 0xf4, 'Ơ': 0xd5, 'ơ': 0xf5, 'Ư': 0xdd, 'ư': 0xfd, 'Đ': 0xd0, 'đ': 0xf0,
    'À': 0xc0, 'à': 0xe0, 'Á': 0xc1, 'á': 0xe1, 'È': 0xc8, 'è': 0xe8, 'É': 0xc9, 'é': 0xe9, 'Ì': 0xcc, 'ì': 0xec, 'Í': 0xcd, 'í': 0xed,
    'Ò': 0xd2, 'ò': 0xf2, 'Ó': 0xd3, 'ó': 0xf3, 'Ù': 0xd9, 'ù': 0xf9, 'Ú': 0xda, 'ú': 0xfa,
    '\u0300': 0xcc, '\u0301': 0xec, '\u0303': 0xde, '\u0309': 0xd2, '\u0323': 0xf2,
  };
  const bytes: number[] = [];
  // Decompose the tone marks only (keep the vowel shapes ă â ê ô ơ ư precomposed), as Windows-1258 writes them.
  for (const char of text.normalize('NFD').normalize('NFC')) {
    if (char.charCodeAt(0) < 0x80) bytes.push(char.charCodeAt(0));
    else if (table[char] !== undefined) bytes.push(table[char]);
    else {
      const [base, ...marks] = char.normalize('NFD');
      const shaped = (base + marks.filter((mark) => mark === '\u0306' || mark === '\u0302' || mark === '\u031b').join('')).normalize('NFC');
      const tone = marks.find((mark) => ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'].includes(mark));
      const code = shaped.charCodeAt(0) < 0x80 ? shaped.charCodeAt(0) : table[shaped];
      if (code === undefined || !tone) throw new Error(`cannot write ${char} in Windows-1258`);
      bytes.push(code, table[tone]);
    }
  }
  return Buffer.from(bytes);
}

test('loading keeps every row of a UTF-16 file', async (t) => {
  const test = await buildTestApp(t);
  const lines = ['Mã,Tên xã,Dân số'];
  for (let i = 1; i <= 300; i++) lines.push(`${i},Xã Nhơn Hội ${i},${1000 + i}`);
  const content = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf16le')]);
  const { resource, report } = await publishCsv(test, content);
  assert.equal(report.encoding, 'utf-16le');
  assert.equal(await test.app.datastoreLoader.load(resource.lineageId), 'loaded');
  const { body } = await records(test.app, resource.id, 'limit=1000&include_total=true');
  assert.equal(body.total, 300);
  assert.equal(body.records.length, 300);
  assert.deepEqual(body.records[299], { _id: 300, ma: 300, ten_xa: 'Xã Nhơn Hội 300', dan_so: 1300 });
  assert.deepEqual(body.fields.map((field: { id: string; type: string }) => `${field.id}:${field.type}`), ['_id:int', 'ma:int', 'ten_xa:text', 'dan_so:int']);
});

test('loading keeps every row of a Windows-1258 file with combining tone marks, in NFC', async (t) => {
  const test = await buildTestApp(t);
  const names = ['Quy Nhơn', 'Hoài Nhơn', 'Tây Sơn', 'Phù Cát', 'Vĩnh Thạnh', 'Hoài Ân', 'An Lão', 'Tuy Phước'];
  const lines = ['Huyện;Ghi chú'];
  for (let i = 0; i < 400; i++) lines.push(`${names[i % names.length]};Hộ nghèo số ${i}`);
  const { resource, report } = await publishCsv(test, windows1258(`${lines.join('\r\n')}\r\n`));
  assert.equal(report.encoding, 'windows-1258');
  assert.equal(await test.app.datastoreLoader.load(resource.lineageId), 'loaded');
  const { body } = await records(test.app, resource.id, 'limit=1000&include_total=true');
  assert.equal(body.total, 400);
  assert.equal(body.records[4].huyen, 'Vĩnh Thạnh');
  assert.equal(body.records[4].huyen, 'Vĩnh Thạnh'.normalize('NFC'));
  assert.equal(body.records[399].ghi_chu, 'Hộ nghèo số 399');
  // Diacritic-insensitive search finds the precomposed text the combining marks became.
  const found = await records(test.app, resource.id, `q=${encodeURIComponent('vinh thanh')}&include_total=true`);
  assert.equal(found.body.total, 50);
});

test('loading keeps every row of a UTF-8 file with BOM, semicolons and decimal commas, and reports ragged rows', async (t) => {
  const test = await buildTestApp(t);
  const content = `\uFEFFNgày;Số tiền;Tỷ lệ;Ghi chú\r\n01/02/2024;1.234.567,5;12,5;đủ\r\n15/03/2024;2.000,25;7,25\r\n31/12/2024;3,75;100;thêm;ô thừa\r\n`;
  const { resource, report } = await publishCsv(test, content);
  assert.equal(report.delimiter, ';');
  assert.equal(await test.app.datastoreLoader.load(resource.lineageId), 'loaded');
  const { body } = await records(test.app, resource.id, 'include_total=true');
  assert.equal(body.total, 3);
  assert.deepEqual(
    body.records.map((record: Record<string, unknown>) => [record.ngay, record.so_tien, record.ty_le, record.ghi_chu, record._extra]),
    [
      ['2024-02-01', 1234567.5, 12.5, 'đủ', null],
      ['2024-03-15', 2000.25, 7.25, null, null],
      ['2024-12-31', 3.75, 100, 'thêm', 'ô thừa'],
    ],
  );
  const state = await tableState(test, resource.lineageId);
  assert.deepEqual(state.loadWarnings, { raggedRows: 2, raggedRowNumbers: [3, 4] });
});

test('a row that does not fit its column stops the load with its row number, and the live table stays', async (t) => {
  const test = await buildTestApp(t);
  const good = ['Mã,Ngày'];
  for (let i = 1; i <= 50; i++) good.push(`${i},01/01/2024`);
  const published = await publishCsv(test, `${good.join('\n')}\n`);
  assert.equal(await test.app.datastoreLoader.load(published.resource.lineageId), 'loaded');
  // The new file's row 701 holds 31 February: inspection takes it for a date, PostgreSQL would not.
  const { publishReplacement } = await import('./datastore-helpers.ts');
  const lines = ['Mã,Ngày'];
  for (let i = 1; i <= 1000; i++) lines.push(`${i},${i === 700 ? '31/02/2024' : '02/01/2024'}`);
  const replacement = await publishReplacement(test, published, `${lines.join('\n')}\n`);
  assert.equal(await test.app.datastoreLoader.load(published.resource.lineageId), 'failed');
  const state = await tableState(test, published.resource.lineageId);
  assert.equal(state.loadState, 'failed');
  assert.deepEqual(state.loadError, { row: 701, reason: 'datastore.cell_not_date', params: { column: 'Ngày', value: '31/02/2024' } });
  // The public keeps the previous table, through the new resource as through the old.
  const { body } = await records(test.app, replacement.id, 'include_total=true');
  assert.equal(body.total, 50);
  assert.deepEqual(await datastoreRelations(test), [state.tableName]);
});

test('a file PostgreSQL reads as typed is copied straight into its table, and one with decimal commas too, rewritten on the way', async (t) => {
  const test = await buildTestApp(t);
  // The loader's log says which way each file went: straight COPY ('direct'), staged ('file'), or parsed here ('rows', PGlite).
  const ways: string[] = [];
  const log = { info: (details: { via?: string }) => details.via && ways.push(details.via), warn: () => {} };
  const loader = createDatastoreLoader({ handle: test.database, storage: test.storage, log });
  const server = Boolean(test.database.pool);
  const load = async (content: string) => {
    const published = await publishCsv(test, content);
    assert.equal(await loader.load(published.resource.lineageId), 'loaded');
    const { body } = await records(test.app, published.resource.id, 'sort=_id');
    return { records: body.records, state: await tableState(test, published.resource.lineageId) };
  };

  // Integers, numbers with a decimal point, d/m/yyyy dates (02/01 is the 2nd of January), text with an empty quoted cell.
  const typed = await load('Mã,Tỷ lệ,Ngày,Tên\n1,12.5,02/01/2024,"An Nhơn"\n2,0.25,2024-03-31,""\n3,,,Tây Sơn\n');
  assert.deepEqual(ways.at(-1), server ? 'direct' : 'rows');
  assert.deepEqual(
    typed.records.map((record: Record<string, unknown>) => [record._id, record.ma, record.ty_le, record.ngay, record.ten]),
    [
      [1, 1, 12.5, '2024-01-02', 'An Nhơn'],
      [2, 2, 0.25, '2024-03-31', null],
      [3, 3, null, null, 'Tây Sơn'],
    ],
  );
  assert.deepEqual(
    typed.state.fields.map((field) => field.type),
    ['integer', 'numeric', 'date', 'text'],
  );
  // The straight COPY's numbering and checks are gone: the table is like any other.
  const extras = rowsOf<{ n: number }>(
    await test.db.execute(
      sql`select (select count(*) from pg_constraint where conrelid = ${`datastore.${typed.state.tableName}`}::regclass and contype = 'c')::int + (select count(*) from information_schema.columns where table_schema = 'datastore' and table_name = ${typed.state.tableName} and is_identity = 'YES')::int as n`,
    ),
  );
  assert.equal(extras[0].n, 0);

  // Decimal commas: rewritten by the exact rule on their way to the same straight COPY on a server.
  const commas = await load('Mã;Tỷ lệ;Tên\n1;12,5;An Nhơn\n2;1.234,75;Tây Sơn\n');
  assert.deepEqual(ways.at(-1), server ? 'direct' : 'rows');
  assert.deepEqual(commas.records.map((record: Record<string, unknown>) => record.ty_le), [12.5, 1234.75]);

  // A blank text cell is null by the exact rules: the straight COPY refuses it and the file is staged instead.
  const blank = await load('Mã,Tên\n1,An Nhơn\n2,"   "\n');
  assert.deepEqual(ways.at(-1), server ? 'file' : 'rows');
  assert.deepEqual(blank.records.map((record: Record<string, unknown>) => record.ten), ['An Nhơn', null]);
});
