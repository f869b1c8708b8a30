import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPostgresEngine } from '../../../src/modules/search/postgres-engine.ts';
import { createSearchService } from '../../../src/modules/search/search.service.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import type { DatabaseHandle } from '../../../src/db/client.ts';
import { doc, query, recordStatements } from './support.ts';

/** What the PostgreSQL engine does beyond the shared contract: counting, caching, validating filters. */
async function openEngine(t: import('node:test').TestContext) {
  const database = await createTestDatabase();
  t.after(() => database.close());
  return { db: database.db, engine: createPostgresEngine(database.db), database };
}

/** DEALLOCATE ALL in every session: PGlite's one, or each connection the pool holds. */
async function forgetPreparedStatements(database: DatabaseHandle) {
  const client = (database.db as unknown as { $client: { exec?: (text: string) => Promise<unknown>; idleCount?: number; connect?: () => Promise<{ query(text: string): Promise<unknown>; release(): void }> } }).$client;
  if (client.exec) {
    await client.exec('deallocate all');
    return;
  }
  // The pool hands out its idle connections before it opens new ones: taking as many as are idle takes them all.
  const connections = await Promise.all(Array.from({ length: client.idleCount ?? 0 }, () => client.connect!()));
  for (const connection of connections) {
    await connection.query('deallocate all');
    connection.release();
  }
}


test('the facets of the whole index follow an upsert and a removal made through the engine at once', async (t) => {
  const { engine } = await openEngine(t);
  const first = doc({ title: 'Giá đất', topicSlug: 'kinh-te' });
  await engine.upsert([first]);
  assert.deepEqual((await engine.search(query(''))).facets.topic, [{ value: 'kinh-te', count: 1 }]);

  await engine.upsert([doc({ title: 'Trường mầm non', topicSlug: 'giao-duc' })]);
  const afterUpsert = await engine.search(query('', { sort: 'name' }));
  assert.equal(afterUpsert.total, 2);
  assert.deepEqual(afterUpsert.facets.topic, [{ value: 'giao-duc', count: 1 }, { value: 'kinh-te', count: 1 }]);

  await engine.remove([first.datasetId]);
  const afterRemoval = await engine.search(query(''));
  assert.equal(afterRemoval.total, 1);
  assert.deepEqual(afterRemoval.facets.topic, [{ value: 'giao-duc', count: 1 }]);

  await engine.clear();
  assert.equal((await engine.search(query(''))).total, 0);
});

test('the facets of a filtered list without words follow changes too', async (t) => {
  const { engine } = await openEngine(t);
  await engine.upsert([doc({ title: 'Trường mầm non', topicSlug: 'giao-duc', formats: ['CSV'] })]);
  const filtered = query('', { filters: { topic: ['giao-duc'] } });
  assert.deepEqual((await engine.search(filtered)).facets.format, [{ value: 'CSV', count: 1 }]);
  await engine.upsert([doc({ title: 'Trường tiểu học', topicSlug: 'giao-duc', formats: ['PDF'] })]);
  const after = await engine.search(filtered);
  assert.equal(after.total, 2);
  assert.deepEqual(after.facets.format, [{ value: 'CSV', count: 1 }, { value: 'PDF', count: 1 }]);
});

test('a page past the end of a search with words is empty and still knows the total and facets', async (t) => {
  const { engine } = await openEngine(t);
  await engine.upsert(['Trường mầm non', 'Trường tiểu học', 'Trường nghề'].map((title) => doc({ title })));
  const beyond = await engine.search(query('truong', { pageSize: 2, page: 3 }));
  assert.deepEqual(beyond.hits, []);
  assert.equal(beyond.total, 3);
  assert.deepEqual(beyond.facets.topic, [{ value: 'kinh-te', count: 3 }]);
});

test('near-misses of a typo come with their total and facets, flagged approximate', async (t) => {
  const { engine } = await openEngine(t);
  await engine.upsert([
    doc({ title: 'Danh sách nhà thuốc An Nhơn', topicSlug: 'y-te' }),
    doc({ title: 'Danh sách nhà thuốc Quy Nhơn', topicSlug: 'y-te' }),
    doc({ title: 'Giá vé xe buýt', topicSlug: 'giao-thong' }),
  ]);
  const result = await engine.search(query('nha thuco'));
  assert.equal(result.approximate, true);
  assert.equal(result.total, 2);
  assert.deepEqual(result.facets.topic, [{ value: 'y-te', count: 2 }]);
  const byName = await engine.search(query('nha thuco', { sort: 'name', pageSize: 1, page: 2 }));
  assert.deepEqual(
    { titles: byName.hits.map((hit) => hit.title), total: byName.total, approximate: byName.approximate },
    { titles: ['Danh sách nhà thuốc Quy Nhơn'], total: 2, approximate: true },
  );
  const nothing = await engine.search(query('qwxzv'));
  assert.deepEqual({ total: nothing.total, approximate: nothing.approximate, topics: nothing.facets.topic }, { total: 0, approximate: false, topics: [] });
});

test('the service keeps the filter values that exist, in plain and in list facets, and drops the others', async (t) => {
  const { db, engine } = await openEngine(t);
  await engine.upsert([
    doc({ title: 'Trường mầm non', topicSlug: 'giao-duc', tags: ['trường học'], formats: ['CSV', 'XLSX'], licence: 'CC BY 4.0' }),
    doc({ title: 'Giá đất', topicSlug: 'kinh-te', tags: ['đất đai'], formats: ['PDF'] }),
  ]);
  const service = createSearchService(db, engine, engine, { warn() {} });
  const narrowed = await service.search(
    query('', { filters: { topic: ['giao-duc', 'khong-ton-tai'], tag: ['trường học', "'; drop"], format: ['XLSX', 'EXE'], licence: ['CC BY 4.0'] } }),
  );
  assert.deepEqual(
    narrowed.hits.map((hit) => hit.title),
    ['Trường mầm non'],
  );
  const unknownOnly = await service.search(query('', { filters: { frequency: ['hourly'], agency: ['khong-ton-tai'] } }));
  assert.equal(unknownOnly.total, 2, 'unknown values are ignored, not matched against');
});

test('a change made by another process sharing the database shows in the facets once they expire', async (t) => {
  const { db, engine: writer } = await openEngine(t);
  const reader = createPostgresEngine(db, { textlessFacetsTtlMs: 0 });
  await writer.upsert([doc({ title: 'Giá đất' })]);
  assert.equal((await reader.search(query(''))).total, 1);
  await writer.upsert([doc({ title: 'Giá vé xe buýt' })]);
  // The expired count is answered once more while a new one runs in the background.
  let total = 0;
  for (let attempt = 0; attempt < 100 && total !== 2; attempt++) {
    total = (await reader.search(query(''))).total;
    if (total !== 2) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(total, 2);
});

test('filter and facet values with quotes, backslashes, braces and control characters are matched and counted as written', async (t) => {
  const { engine } = await openEngine(t);
  const odd = `CC BY 4.0 'quoted' \\ back\\slash "double" {brace}, comma`;
  // The separators of the facet combinations' text (record and unit separators) inside a value.
  const separators = 'rec\u001esep\u001funit';
  await engine.upsert([
    doc({ title: 'Trường mầm non', licence: odd, tags: [`it's "x"`, 'a\\b', '{y}', separators] }),
    doc({ title: 'Trường tiểu học', licence: 'CC BY 4.0' }),
  ]);
  const byLicence = await engine.search(query('truong', { filters: { licence: [odd] } }));
  assert.deepEqual(byLicence.hits.map((hit) => hit.title), ['Trường mầm non']);
  for (const tag of [`it's "x"`, 'a\\b', '{y}']) {
    const byTag = await engine.search(query('truong', { filters: { tag: [tag] } }));
    assert.deepEqual(byTag.hits.map((hit) => hit.title), ['Trường mầm non'], tag);
  }
  // A value no document has matches nothing, whatever it holds (a NUL cannot reach PostgreSQL).
  for (const value of [`'; drop table search_documents; --`, 'x\u0000y', '\\', "''"]) {
    assert.equal((await engine.search(query('truong', { filters: { licence: [value] } }))).total, 0, JSON.stringify(value));
  }
  const all = await engine.search(query('truong'));
  assert.equal(all.total, 2);
  assert.deepEqual(all.facets.licence, [{ value: 'CC BY 4.0', count: 1 }, { value: odd, count: 1 }]);
  assert.deepEqual(all.facets.tag.map((facet) => facet.value).sort(), [`it's "x"`, 'a\\b', '{y}', separators].sort());
});

test("a search's first statement is prepared once per database session, then only executed, and prepared again when the session has forgotten it", async (t) => {
  const { engine, database } = await openEngine(t);
  await engine.upsert([
    doc({ title: 'Danh sách trường học', topicSlug: 'giao-duc' }),
    doc({ title: 'Trường học mầm non', topicSlug: 'giao-duc' }),
    doc({ title: 'Giá đất nông nghiệp', topicSlug: 'kinh-te' }),
  ]);
  const sent = recordStatements(database);
  const first = await engine.search(query('truong hoc'));
  assert.equal(first.total, 2);
  assert.ok(sent.some((text) => /prepare search_statement_\d+ as\s+with candidates/.test(text)), 'the first search prepares its statement');

  sent.length = 0;
  // Other words of the same shape: the statement is executed with them, not written again.
  assert.deepEqual((await engine.search(query('gia dat'))).hits.map((hit) => hit.title), ['Giá đất nông nghiệp']);
  assert.deepEqual(await engine.search(query('truong hoc')), first);
  assert.ok(sent.length > 0 && sent.every((text) => !text.includes('with candidates')), 'later searches only execute it');
  assert.ok(sent.some((text) => /execute search_statement_\d+\('/.test(text)));

  await forgetPreparedStatements(database);
  sent.length = 0;
  assert.deepEqual(await engine.search(query('truong hoc')), first, 'a forgotten statement is prepared again');
  assert.ok(sent.some((text) => /prepare search_statement_\d+ as\s+with candidates/.test(text)));
});
