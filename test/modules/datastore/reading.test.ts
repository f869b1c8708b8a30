import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { buildTestApp } from '../../helpers/app.ts';
import { publishCsv } from './datastore-helpers.ts';

const content = 'Huyện;Dân số;Ngày\nAn Nhơn;10;01/01/2024\nTây Sơn;5;02/01/2024\nAn Nhơn;2,5;03/01/2024\n';

test('previews, charts and conversions of a loaded table read the table, not the file again', async (t) => {
  const test = await buildTestApp(t);
  const { resource, dataset } = await publishCsv(test, content);
  assert.equal(await test.app.datastoreLoader.load(resource.lineageId), 'loaded');
  // Without its file, only the table can answer.
  await test.storage.delete(resource.storageKey as string);
  test.app.pageCache.clear();
  const url = `/dataset/${dataset.slug}/resource/${resource.id}`;

  const page = await test.app.inject({ method: 'GET', url: `${url}?x=${encodeURIComponent('Huyện')}&y=${encodeURIComponent('Dân số')}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Tây Sơn/);
  // Summed over the whole table in SQL: An Nhơn 10 + 2,5.
  assert.match(page.body, /class="chart chart-bar"/);
  assert.match(page.body, /An Nhơn \(12,5\)/);

  const json = await test.app.inject({ method: 'GET', url: `${url}/convert/json` });
  assert.equal(json.statusCode, 200);
  assert.deepEqual(JSON.parse(json.body), [
    { Huyện: 'An Nhơn', 'Dân số': 10, Ngày: '2024-01-01' },
    { Huyện: 'Tây Sơn', 'Dân số': 5, Ngày: '2024-01-02' },
    { Huyện: 'An Nhơn', 'Dân số': 2.5, Ngày: '2024-01-03' },
  ]);
  const csv = await test.app.inject({ method: 'GET', url: `${url}/convert/csv` });
  assert.equal(csv.body, '\uFEFFHuyện,Dân số,Ngày\r\nAn Nhơn,10,2024-01-01\r\nTây Sơn,5,2024-01-02\r\nAn Nhơn,2.5,2024-01-03\r\n');
});

test('a resource whose table holds another file is read from its own file', async (t) => {
  const test = await buildTestApp(t);
  const { resource, dataset } = await publishCsv(test, content);
  assert.equal(await test.app.datastoreLoader.load(resource.lineageId), 'loaded');
  // The table was loaded from other bytes (a newer file, say): this file's page must not show it.
  await test.db.execute(sql`update datastore_tables set source_sha256 = 'other' where lineage_id = ${resource.lineageId}`);
  test.app.pageCache.clear();
  const csv = await test.app.inject({ method: 'GET', url: `/dataset/${dataset.slug}/resource/${resource.id}/convert/csv` });
  assert.equal(csv.statusCode, 200);
  // The file's own dates, as written.
  assert.match(csv.body, /An Nhơn,10,01\/01\/2024/);
});
