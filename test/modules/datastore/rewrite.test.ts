import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Papa from 'papaparse';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../src/db/client.ts';
import { converterFor } from '../../../src/modules/datastore/datastore.fields.ts';
import { CellNotRewritable, type CellRewrite, cellRewrite, rewriteNumber } from '../../../src/modules/datastore/datastore.rewrite.ts';
import { createDatastoreLoader } from '../../../src/modules/datastore/datastore.service.ts';
import type { NumberStyle } from '../../../src/modules/previews/numbers.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { publishCsv, records, tableState } from './datastore-helpers.ts';

/** A small generator of the same numbers each run (the tests must not depend on luck). */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

/** What the exact rule (datastore.fields.ts) makes of a number cell in this style: text, null, or undefined when it refuses it. */
function byTheRule(style: NumberStyle, cell: string): string | null | undefined {
  const convert = converterFor({ id: 'n', label: 'n', type: 'numeric' }, [style === 'vi' ? '1,5' : '1.5']);
  try {
    return convert(cell);
  } catch {
    return undefined;
  }
}

async function rewriteAll(content: Buffer, delimiter: string, styles: Array<CellRewrite | undefined>, chunkSize: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let at = 0; at < content.length; at += chunkSize) chunks.push(content.subarray(at, at + chunkSize));
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    cellRewrite(delimiter, styles),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(out);
}

const parse = (text: string, delimiter: string, newline: '\n' | '\r\n') => Papa.parse<string[]>(text, { delimiter, newline, quoteChar: '"' }).data;

test('the number rewrite reads every cell as the exact rule does, in both styles', () => {
  const random = seeded(14);
  const alphabet = '0123459.,-+ x\t';
  for (const style of ['vi', 'en'] as const) {
    const cells = ['1.234.567,89', '-1.234,5', '+12,5', '1,234,567.89', '12.5', '1.234', '1,234', '007', ' 3,75 ', '', '   ', '1.23', '1.234.56', ',5', '5,', '1..2', '1,2,3', '-', 'NaN', '1e5'];
    for (let n = 0; n < 20_000; n++) {
      let cell = '';
      const length = 1 + Math.floor(random() * 10);
      for (let i = 0; i < length; i++) cell += alphabet[Math.floor(random() * (random() < 0.7 ? 8 : alphabet.length))];
      cells.push(cell);
    }
    for (const cell of cells) {
      const bytes = Buffer.from(cell);
      const out = Buffer.alloc(64);
      const at = rewriteNumber(bytes, 0, bytes.length, style, out, 0);
      const rewritten = at < 0 ? undefined : at === 0 ? null : out.subarray(0, at).toString();
      assert.equal(rewritten, byTheRule(style, cell), `${style} ${JSON.stringify(cell)}`);
    }
  }
  // Exact decimal text, never through a float.
  const out = Buffer.alloc(64);
  const cell = Buffer.from('12.345.678.901.234.567,0123456789');
  assert.equal(out.subarray(0, rewriteNumber(cell, 0, cell.length, 'vi', out, 0)).toString(), '12345678901234567.0123456789');
});

test('the number rewrite keeps every other byte of the file, whatever its quotes, line breaks and chunks', async () => {
  const random = seeded(1258);
  const texts = ['An Nhơn', 'Hộ "cận" nghèo', 'dòng một\ndòng hai', 'a;b,c', '', ' ', 'Tây Sơn\r\n'];
  const numbers = ['1.234.567,89', '-2.000,5', '12,5', '0,25', '', '  7  ', '100', '-3', '1.000'];
  for (const delimiter of [';', ',']) {
    for (const newline of ['\n', '\r\n'] as const) {
      const quoted = (value: string) => (/[";,\r\n]/.test(value) || random() < 0.2 ? `"${value.replace(/"/g, '""')}"` : value);
      const lines = [['Mã', 'Số tiền', 'Ghi chú', 'Tỷ lệ'].join(delimiter)];
      const expected: string[][] = [['Mã', 'Số tiền', 'Ghi chú', 'Tỷ lệ']];
      for (let row = 1; row <= 300; row++) {
        const money = numbers[Math.floor(random() * numbers.length)];
        const note = texts[Math.floor(random() * texts.length)];
        const rate = numbers[Math.floor(random() * numbers.length)];
        lines.push([String(row), quoted(money), quoted(note), quoted(rate)].join(delimiter));
        expected.push([String(row), byTheRule('vi', money) ?? '', note, byTheRule('vi', rate) ?? '']);
      }
      const content = Buffer.from(`${lines.join(newline)}${newline}`);
      for (const chunkSize of [1, 2, 7, 64, 65_536]) {
        const out = await rewriteAll(content, delimiter, [undefined, 'vi', undefined, 'vi'], chunkSize);
        const parsed = parse(out.toString('utf8'), delimiter, newline).filter((cells) => cells.length > 1);
        assert.deepEqual(parsed, expected, `delimiter ${delimiter}, chunks of ${chunkSize}`);
      }
      // Without a last line break, the last cell is rewritten all the same.
      const last = await rewriteAll(Buffer.from(`a${delimiter}b${newline}1${delimiter}"1.234,5"`), delimiter, [undefined, 'vi'], 3);
      assert.equal(last.toString(), `a${delimiter}b${newline}1${delimiter}1234.5`);
    }
  }
});

test('yes/no words and month/year dates are rewritten by the rule itself, though a date grows longer than its cell', async () => {
  const date = converterFor({ id: 'd', label: 'd', type: 'date' }, ['1/2024']);
  const yes = converterFor({ id: 'b', label: 'b', type: 'boolean' }, ['có']);
  const lines = ['Tháng;Có;Tên'];
  const expected: string[][] = [['Tháng', 'Có', 'Tên']];
  const words = ['có', 'Không', 'CÓ', 'x', 'ĐÚNG', ' sai ', ''];
  for (let row = 1; row <= 2000; row++) {
    const month = row % 7 === 0 ? '' : row % 3 === 0 ? `${(row % 28) + 1}/${(row % 12) + 1}/2024` : `${(row % 12) + 1}/2024`;
    const word = words[row % words.length];
    lines.push(`${month};${row % 2 ? `"${word}"` : word};"tên ${row}"`);
    expected.push([date(month) ?? '', yes(word) ?? '', `tên ${row}`]);
  }
  const content = Buffer.from(`${lines.join('\n')}\n`);
  for (const chunkSize of [3, 64, 65_536]) {
    const out = await rewriteAll(content, ';', [date, yes, undefined], chunkSize);
    assert.deepEqual(parse(out.toString('utf8'), ';', '\n').filter((cells) => cells.length > 1), expected, `chunks of ${chunkSize}`);
  }
  await assert.rejects(rewriteAll(Buffer.from('a;b\n13/2024;có\n'), ';', [date, yes], 4), CellNotRewritable);
  await assert.rejects(rewriteAll(Buffer.from('a;b\n1/2024;có lẽ\n'), ';', [date, yes], 4), CellNotRewritable);
});

test('the number rewrite stops at a cell the rule does not read, so that the load takes the staging path', async () => {
  for (const cell of ['12,5 kg', '"1""5"', '"12,5"x', '\u00a012,5', '1'.repeat(70)]) {
    await assert.rejects(rewriteAll(Buffer.from(`a;b\n1;2,5\n2;${cell}\n`), ';', [undefined, 'vi'], 5), CellNotRewritable, cell);
  }
});

/** A loader whose log says which way each file went: straight COPY ('direct'), staged ('file'), or parsed here ('rows', PGlite). */
function loaderWithWays(test: Awaited<ReturnType<typeof buildTestApp>>) {
  const ways: string[] = [];
  const log = { info: (details: { via?: string }) => details.via && ways.push(details.via), warn: () => {} };
  return { ways, loader: createDatastoreLoader({ handle: test.database, storage: test.storage, log }) };
}

test('a decimal-comma file is copied straight into its table with every row and the exact values, with semicolons or quoted cells and commas', async (t) => {
  const test = await buildTestApp(t);
  const { ways, loader } = loaderWithWays(test);
  const server = Boolean(test.database.pool);
  const files = [
    '\uFEFFMã;Số tiền;Ghi chú;Tỷ lệ\r\n1;1.234.567,89;An Nhơn;12,5\r\n2;-2.000,25;"dòng một\r\ndòng ""hai""";0,75\r\n3;;Tây Sơn;\r\n4;7;"a;b";-0,5\r\n',
    'Mã,Số tiền,Ghi chú,Tỷ lệ\n1,"1.234.567,89",An Nhơn,"12,5"\n2,"-2.000,25","dòng một\ndòng ""hai""","0,75"\n3,,Tây Sơn,""\n4,7,"a;b","-0,5"\n',
  ];
  for (const content of files) {
    const published = await publishCsv(test, content);
    assert.equal(await loader.load(published.resource.lineageId), 'loaded');
    assert.equal(ways.at(-1), server ? 'direct' : 'rows');
    const state = await tableState(test, published.resource.lineageId);
    assert.deepEqual(
      state.fields.map((field) => field.type),
      ['integer', 'numeric', 'text', 'numeric'],
    );
    // As text, to see the exact decimals PostgreSQL holds.
    const rows = rowsOf<{ _id: number; ma: string; so_tien: string | null; ghi_chu: string | null; ty_le: string | null }>(
      await test.db.execute(sql.raw(`select _id, ma::text, so_tien::text, ghi_chu, ty_le::text from datastore."${state.tableName}" order by _id`)),
    );
    assert.deepEqual(
      rows.map((row) => [row._id, row.ma, row.so_tien, row.ghi_chu, row.ty_le]),
      [
        [1, '1', '1234567.89', 'An Nhơn', '12.5'],
        [2, '2', '-2000.25', content.includes('\r\n') ? 'dòng một\r\ndòng "hai"' : 'dòng một\ndòng "hai"', '0.75'],
        [3, '3', null, 'Tây Sơn', null],
        [4, '4', '7', 'a;b', '-0.5'],
      ],
    );
  }
});

test('a file with yes/no words and month/year dates is copied straight into its table too', async (t) => {
  const test = await buildTestApp(t);
  const { ways, loader } = loaderWithWays(test);
  const server = Boolean(test.database.pool);
  const published = await publishCsv(test, 'Tháng,Đã xác minh,Số tiền\n3/2024,Có,"1.500,5"\n12/2024,không,\n,,7\n');
  assert.equal(await loader.load(published.resource.lineageId), 'loaded');
  assert.equal(ways.at(-1), server ? 'direct' : 'rows');
  const state = await tableState(test, published.resource.lineageId);
  assert.deepEqual(
    state.fields.map((field) => field.type),
    ['date', 'boolean', 'numeric'],
  );
  const { body } = await records(test.app, published.resource.id, 'sort=_id');
  assert.deepEqual(
    body.records.map((record: Record<string, unknown>) => [record._id, record.thang, record.da_xac_minh, record.so_tien]),
    [
      [1, '2024-03-01', true, 1500.5],
      [2, '2024-12-01', false, null],
      [3, null, null, 7],
    ],
  );
});

test('a number cell the rewrite does not read sends the load to the staging path, which reads it by the rule', async (t) => {
  const test = await buildTestApp(t);
  const { ways, loader } = loaderWithWays(test);
  const server = Boolean(test.database.pool);
  // A no-break space around a number: the rule trims it, the rewrite leaves it to the staging path.
  const published = await publishCsv(test, 'Mã;Số tiền\n1;12,5\n2;\u00a01.234,5\u00a0\n');
  assert.equal(await loader.load(published.resource.lineageId), 'loaded');
  assert.equal(ways.at(-1), server ? 'file' : 'rows');
  const { body } = await records(test.app, published.resource.id, 'sort=_id');
  assert.deepEqual(
    body.records.map((record: Record<string, unknown>) => record.so_tien),
    [12.5, 1234.5],
  );
});

test('a decimal-comma file whose row 701 is broken stops the load with that row and why', async (t) => {
  const test = await buildTestApp(t);
  // Row 701 holds 31 February (inspection takes it for a date, PostgreSQL would not), beside decimal commas.
  const lines = ['Mã;Số tiền;Ngày'];
  for (let i = 1; i <= 1000; i++) lines.push(`${i};${i}.000,5;${i === 700 ? '31/02/2024' : '02/01/2024'}`);
  const dates = await publishCsv(test, `${lines.join('\n')}\n`);
  assert.equal(await test.app.datastoreLoader.load(dates.resource.lineageId), 'failed');
  assert.deepEqual((await tableState(test, dates.resource.lineageId)).loadError, { row: 701, reason: 'datastore.cell_not_date', params: { column: 'Ngày', value: '31/02/2024' } });

  // Row 701's number is a word, in a file whose inspection said numbers (as an older inspection might).
  const words = ['Mã;Số tiền'];
  for (let i = 1; i <= 1000; i++) words.push(`${i};${i === 700 ? 'mười hai' : `${i},5`}`);
  const published = await publishCsv(test, `${words.join('\n')}\n`);
  const columns = [
    { name: 'Mã', type: 'integer' },
    { name: 'Số tiền', type: 'number' },
  ];
  await test.db.execute(sql`update resources set inspection = jsonb_set(inspection, '{columns}', ${JSON.stringify(columns)}::jsonb) where id = ${published.resource.id}`);
  assert.equal(await test.app.datastoreLoader.load(published.resource.lineageId), 'failed');
  assert.deepEqual((await tableState(test, published.resource.lineageId)).loadError, {
    row: 701,
    reason: 'datastore.cell_not_number',
    params: { column: 'Số tiền', value: 'mười hai' },
  });
});
