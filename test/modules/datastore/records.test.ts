import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { rowOrderBound } from '../../../src/modules/datastore/datastore.query.ts';
import { publishCsv, records } from './datastore-helpers.ts';

const districts = ['Quy Nhơn', 'Hoài Nhơn', 'Tây Sơn', 'An Lão', 'Phù Mỹ'];

/** 500 generated rows: a code, a district (text), a population (integer), a rate (decimal comma), a date, some blanks. */
function generatedTable() {
  const rows: Array<{ ma: number; huyen: string; dan_so: number | null; ty_le: number; ngay: string }> = [];
  const lines = ['Mã;Huyện;Dân số;Tỷ lệ;Ngày'];
  for (let i = 1; i <= 500; i++) {
    const row = { ma: i, huyen: districts[i % 5], dan_so: i % 7 === 0 ? null : (i * 37) % 1000, ty_le: (i % 40) / 4, ngay: `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}` };
    rows.push(row);
    const [y, m, d] = row.ngay.split('-');
    lines.push(`${row.ma};${row.huyen};${row.dan_so ?? ''};${String(row.ty_le).replace('.', ',')};${d}/${m}/${y}`);
  }
  return { rows, content: `${lines.join('\n')}\n` };
}

async function loadedTable(t: Parameters<typeof buildTestApp>[0]) {
  const app = await buildTestApp(t);
  const { rows, content } = generatedTable();
  const { resource } = await publishCsv(app, content);
  assert.equal(await app.app.datastoreLoader.load(resource.lineageId), 'loaded');
  return { test: app, rows, resourceId: resource.id };
}

const q = (params: Record<string, string | number | boolean>) => new URLSearchParams(Object.entries(params).map(([key, value]): [string, string] => [key, String(value)])).toString();

test('filters, sort, keyset paging and totals are right on a generated table', async (t) => {
  const { test, rows, resourceId } = await loadedTable(t);
  const app = test.app;

  // Equality, in, and a range, with the total.
  const wanted = rows.filter((row) => row.huyen === 'Tây Sơn' && row.dan_so !== null && row.dan_so >= 100 && row.dan_so < 600);
  let answer = await records(app, resourceId, q({ filters: JSON.stringify({ huyen: 'Tây Sơn', dan_so: { gte: 100, lt: 600 } }), include_total: true, limit: 1000 }));
  assert.equal(answer.status, 200);
  assert.equal(answer.body.total, wanted.length);
  assert.deepEqual(answer.body.records.map((record: { ma: number }) => record.ma), wanted.map((row) => row.ma));

  answer = await records(app, resourceId, `filter[huyen][in]=${encodeURIComponent('An Lão,Phù Mỹ')}&filter[ngay][gte]=2024-06-01&include_total=true&limit=1000`);
  const inAndDate = rows.filter((row) => (row.huyen === 'An Lão' || row.huyen === 'Phù Mỹ') && row.ngay >= '2024-06-01');
  assert.equal(answer.body.total, inAndDate.length);
  assert.deepEqual(answer.body.records.map((record: { ma: number }) => record.ma), inAndDate.map((row) => row.ma));

  // Blanks: a null filter finds them; the decimal comma was read as a decimal.
  answer = await records(app, resourceId, q({ filters: JSON.stringify({ dan_so: null }), include_total: true }));
  assert.equal(answer.body.total, rows.filter((row) => row.dan_so === null).length);
  answer = await records(app, resourceId, q({ filters: JSON.stringify({ ty_le: 2.25 }), include_total: true }));
  assert.equal(answer.body.total, rows.filter((row) => row.ty_le === 2.25).length);

  // Sort on several columns, nulls last, then every page by keyset: all rows once, in order.
  const expected = [...rows]
    .sort((a, b) => (a.huyen < b.huyen ? -1 : a.huyen > b.huyen ? 1 : 0) || (a.dan_so === b.dan_so ? 0 : a.dan_so === null ? 1 : b.dan_so === null ? -1 : b.dan_so - a.dan_so) || a.ma - b.ma)
    .map((row) => row.ma);
  const seen: number[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    answer = await records(app, resourceId, q({ sort: 'huyen asc, dan_so desc', fields: 'ma,huyen,dan_so', limit: 37, ...(after ? { after } : {}) }));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    seen.push(...answer.body.records.map((record: { ma: number }) => record.ma));
    after = answer.body.next_after;
    pages++;
  } while (after && pages < 50);
  // Ordering of text follows the database's collation; compare as sets of pages, then order within a district.
  assert.equal(seen.length, rows.length);
  assert.equal(new Set(seen).size, rows.length);
  const byDistrict = (list: number[]) => districts.map((name) => list.filter((ma) => rows[ma - 1].huyen === name));
  assert.deepEqual(byDistrict(seen), byDistrict(expected));

  // Offset paging agrees with keyset paging.
  const first = await records(app, resourceId, q({ sort: '-dan_so', limit: 10 }));
  const second = await records(app, resourceId, q({ sort: '-dan_so', limit: 10, offset: 10 }));
  const keyset = await records(app, resourceId, q({ sort: '-dan_so', limit: 10, after: first.body.next_after }));
  assert.deepEqual(keyset.body.records, second.body.records);

  // Field descriptions with types; only the fields asked for.
  answer = await records(app, resourceId, q({ fields: 'huyen,Dân số', limit: 1 }));
  assert.deepEqual(answer.body.fields, [
    { id: 'huyen', type: 'text', info: { label: 'Huyện' } },
    { id: 'dan_so', type: 'int', info: { label: 'Dân số' } },
  ]);
  assert.deepEqual(Object.keys(answer.body.records[0]), ['huyen', 'dan_so']);
});

test('the records come as CSV or XML by format or Accept header', async (t) => {
  const { test, resourceId } = await loadedTable(t);
  const csv = await test.app.inject({ method: 'GET', url: `/api/v1/resources/${resourceId}/records?limit=2&fields=ma,huyen`, headers: { accept: 'text/csv' } });
  assert.match(csv.headers['content-type'] as string, /^text\/csv/);
  assert.equal(csv.body, '\uFEFFma,huyen\r\n1,Hoài Nhơn\r\n2,Tây Sơn\r\n');
  const xml = await test.app.inject({ method: 'GET', url: `/api/v1/resources/${resourceId}/records?limit=1&fields=huyen&format=xml` });
  assert.match(xml.headers['content-type'] as string, /^application\/xml/);
  assert.match(xml.body, /<record><huyen>Hoài Nhơn<\/huyen><\/record>/);
});

test('full-text q ignores diacritics and case', async (t) => {
  const { test, rows, resourceId } = await loadedTable(t);
  const answer = await records(test.app, resourceId, q({ q: 'hoai nhon', include_total: true }));
  assert.equal(answer.body.total, rows.filter((row) => row.huyen === 'Hoài Nhơn').length);
  const prefix = await records(test.app, resourceId, q({ q: 'TÂY S', include_total: true }));
  assert.equal(prefix.body.total, rows.filter((row) => row.huyen === 'Tây Sơn').length);
});

test('a q matching most rows is read in row order along the row numbers, with the same page, cursor and total', async (t) => {
  const { test, rows, resourceId } = await loadedTable(t);
  // "nhon" starts the words of 2 rows in 5: with 10 wanted of 500 rows, worth reading in row order (rowOrderBound) on a
  // server; PGlite answers through the full-text index, the same rows.
  const matching = rows.filter((row) => row.huyen.endsWith('Nhơn')).map((row) => row.ma);
  const first = await records(test.app, resourceId, q({ q: 'nhon', limit: 10, include_total: true }));
  assert.deepEqual(
    first.body.records.map((record: { ma: number }) => record.ma),
    matching.slice(0, 10),
  );
  assert.equal(first.body.total, matching.length);
  const second = await records(test.app, resourceId, q({ q: 'nhon', limit: 10, after: first.body.next_after }));
  assert.deepEqual(
    second.body.records.map((record: { ma: number }) => record.ma),
    matching.slice(10, 20),
  );
  const offset = await records(test.app, resourceId, q({ q: 'nhon', limit: 10, offset: 150 }));
  assert.deepEqual(
    offset.body.records.map((record: { ma: number }) => record.ma),
    matching.slice(150, 160),
  );
  // After a late row, nothing within the row-order bound: the full-text index answers.
  const late = await records(test.app, resourceId, q({ q: 'nhon', limit: 10, after: offset.body.next_after }));
  assert.deepEqual(
    late.body.records.map((record: { ma: number }) => record.ma),
    matching.slice(160, 170),
  );
});

test('a q is read in row order only when its words are common enough to fill the page soon, and only so far', () => {
  const stats = { elems: ['nguyen', 'nguyet', 'thi', 'hong', 'tay', 'son'], freqs: [0.125, 0.01, 0.43, 0.14, 0.09, 0.09, 0.01, 0.43, 0] };
  // nguy* & thi*: between 5.8 % (each word apart) and 13.5 % (nguy* always with thi*) of 1M rows: read in row order, as far as
  // the 5.8 % would need four times over.
  assert.equal(rowOrderBound(['nguy', 'thi'], stats, 1_000_000, 100), Math.ceil(400 / (0.135 * 0.43)));
  assert.equal(rowOrderBound(['nguy'], stats, 1_000_000, 100), Math.ceil(400 / 0.135));
  // Common words that may seldom meet: no further than where the full-text index costs less whatever they match.
  assert.equal(rowOrderBound(['nguyen', 'thi', 'hong'], stats, 1_000_000, 100), Math.ceil(4 * Math.sqrt(100_000_000 / 3)));
  assert.equal(rowOrderBound(['tay', 'son', 'hong'], stats, 1_000_000, 100), Math.ceil(4 * Math.sqrt(100_000_000 / 3)));
  // 1 % or less of the rows: the full-text index.
  assert.equal(rowOrderBound(['tay', 'son'], { elems: ['tay', 'son'], freqs: [0.01, 0.01] }, 1_000_000, 100), undefined);
  assert.equal(rowOrderBound(['tay', 'son'], stats, 1_000, 100), undefined);
  // A word no row starts with, no statistics, or enough words for the planner's own estimate: the full-text index.
  assert.equal(rowOrderBound(['xyz'], stats, 1_000_000, 100), undefined);
  assert.equal(rowOrderBound(['nguy'], undefined, 1_000_000, 100), undefined);
  const many = { elems: Array.from({ length: 100 }, (_, i) => `w${i}`), freqs: Array.from({ length: 103 }, () => 0.5) };
  assert.equal(rowOrderBound(['w1'], many, 1_000_000, 100), undefined);
});

async function refusal(test: TestApp, resourceId: string, query: string) {
  const answer = await records(test.app, resourceId, query);
  assert.equal(typeof answer.body.message, 'string', JSON.stringify(answer.body));
  assert.ok(answer.body.message.length > 10);
  return answer.status;
}

test('bad requests answer 400, 404 or 409 with a sentence, never 500', async (t) => {
  const { test, resourceId } = await loadedTable(t);
  assert.equal(await refusal(test, resourceId, q({ filters: JSON.stringify({ khong_co: 1 }) })), 400);
  assert.equal(await refusal(test, resourceId, q({ filters: JSON.stringify({ dan_so: { like: 1 } }) })), 400);
  assert.equal(await refusal(test, resourceId, q({ filters: '{"huyen": ' })), 400);
  assert.equal(await refusal(test, resourceId, q({ filters: JSON.stringify({ dan_so: 'nhiều' }) })), 400);
  assert.equal(await refusal(test, resourceId, q({ filters: JSON.stringify({ ngay: '31/02/2024' }) })), 400);
  assert.equal(await refusal(test, resourceId, q({ limit: 32_001 })), 400);
  assert.equal(await refusal(test, resourceId, q({ limit: -1 })), 400);
  assert.equal(await refusal(test, resourceId, q({ sort: 'khong_co desc' })), 400);
  assert.equal(await refusal(test, resourceId, q({ fields: 'ma,khong_co' })), 400);
  assert.equal(await refusal(test, resourceId, q({ after: 'rác' })), 400);
  assert.equal(await refusal(test, resourceId, q({ format: 'pdf' })), 400);
  assert.equal(await refusal(test, '00000000-0000-4000-8000-000000000000', ''), 404);
  assert.equal(await refusal(test, 'khong-phai-uuid', ''), 404);
  // A public file that is not loaded (yet): 409.
  const { resource } = await publishCsv(test, 'a,b\n1,2\n');
  assert.equal(await refusal(test, resource.id, ''), 409);
});

test('hostile column names and values are harmless', async (t) => {
  const test = await buildTestApp(t);
  const hostile = [
    '"; DROP TABLE resources; --',
    '_id',
    'select',
    '',
    'Tên"',
    'Tên"',
    `${'x'.repeat(200)}`,
    '=cmd|"/c calc"!A1',
  ];
  const values = ["'); DROP TABLE datasets; --", '\\N', 'a\tb\\c', '=1+1', '<script>alert(1)</script>', '\u0000'.replace('\u0000', ''), 'ok', '"quoted"'];
  const header = hostile.map((name) => `"${name.replace(/"/g, '""')}"`).join(',');
  const row = values.map((value) => `"${value.replace(/"/g, '""')}"`).join(',');
  const { resource } = await publishCsv(test, `${header}\n${row}\n${row}\n`);
  assert.equal(await test.app.datastoreLoader.load(resource.lineageId), 'loaded');
  const answer = await records(test.app, resource.id, 'include_total=true');
  assert.equal(answer.status, 200);
  const ids = answer.body.fields.map((field: { id: string }) => field.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id: string) => /^[a-z_][a-z0-9_]*$/.test(id) && id.length <= 63), ids.join(' '));
  assert.deepEqual(answer.body.fields.slice(1).map((field: { info: { label: string } }) => field.info.label), hostile);
  assert.deepEqual(Object.values(answer.body.records[0]).slice(1), values.map((value) => (value === '' ? null : value)));
  // Values and names sent back as filters stay values and names.
  const filtered = await records(test.app, resource.id, q({ filters: JSON.stringify({ [ids[1]]: values[0], [hostile[0]]: values[0] }), include_total: true }));
  assert.equal(filtered.body.total, 2);
  const injected = await records(test.app, resource.id, q({ sort: `${ids[1]}; drop table resources`, filters: JSON.stringify({ [`${ids[1]}" or 1=1 --`]: 'x' }) }));
  assert.equal(injected.status, 400);
  // The portal's own tables are intact.
  const page = await test.app.inject({ method: 'GET', url: '/dataset' });
  assert.equal(page.statusCode, 200);
  const csv = await test.app.inject({ method: 'GET', url: `/api/v1/resources/${resource.id}/records?format=csv` });
  assert.match(csv.body, /'=1\+1/);
});
