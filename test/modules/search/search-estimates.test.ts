import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { translator } from '../../../src/i18n/i18n.ts';
import { createPostgresEngine } from '../../../src/modules/search/postgres-engine.ts';
import { presentCount, presentFacets } from '../../../src/modules/search/search.presenter.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { doc, query, recordStatements } from './support.ts';

/** Counts and facets above the exact-count limit: estimated in bounded time, and said to be estimates. */
async function openEngine(t: import('node:test').TestContext) {
  const database = await createTestDatabase();
  t.after(() => database.close());
  return createPostgresEngine(database.db);
}

const schools = (count: number, topicSlug: string) =>
  Array.from({ length: count }, (_, i) => doc({ title: `Danh sách trường học số ${i}`, topicSlug, publishedAt: new Date(Date.UTC(2024, 0, 1 + i)) }));

test('up to the exact-count limit the total and facets are exact and not flagged', async (t) => {
  const engine = await openEngine(t);
  await engine.upsert([...schools(6, 'giao-duc'), ...schools(4, 'y-te')]);
  const result = await engine.search(query('truong hoc', { exactCountLimit: 10 }));
  assert.deepEqual(
    { total: result.total, estimated: result.estimated, topics: result.facets.topic },
    { total: 10, estimated: false, topics: [{ value: 'giao-duc', count: 6 }, { value: 'y-te', count: 4 }] },
  );
});

test('above the exact-count limit the total and facets are flagged as estimates and the page still ranks and pages', async (t) => {
  const engine = await openEngine(t);
  await engine.upsert([...schools(30, 'giao-duc'), ...schools(10, 'y-te'), doc({ title: 'Giá đất' })]);
  const result = await engine.search(query('truong hoc', { exactCountLimit: 5, pageSize: 10 }));
  assert.equal(result.estimated, true);
  // The sample here holds every document, so the estimate is the count itself.
  assert.equal(result.total, 40);
  assert.deepEqual(result.facets.topic, [{ value: 'giao-duc', count: 30 }, { value: 'y-te', count: 10 }]);
  assert.equal(result.hits.length, 10);
  assert.ok(result.hits.every((hit) => hit.title.startsWith('Danh sách trường học')));
  const newest = await engine.search(query('truong hoc', { exactCountLimit: 5, pageSize: 10, page: 2, sort: 'updated' }));
  assert.deepEqual(
    newest.hits.map((hit) => hit.title),
    Array.from({ length: 10 }, (_, i) => `Danh sách trường học số ${19 - i}`),
    'newest first, second page',
  );
});

test('an estimated count reads "khoảng 93.000 kết quả" (about 93,000 results) and facet counts are marked', () => {
  const vi = translator('vi');
  const en = translator('en');
  assert.equal(presentCount({ total: 93_412, estimated: true }, 'dân số', 'vi', vi), 'khoảng 93.000 kết quả cho “dân số”');
  assert.equal(presentCount({ total: 93_412, estimated: true }, 'dân số', 'en', en), 'about 93,000 results for “dân số”');
  assert.equal(presentCount({ total: 12, estimated: false }, 'dân số', 'vi', vi), '12 tập dữ liệu cho “dân số”');
  const facets = presentFacets(
    { topic: [{ value: 'giao-duc', count: 41_234 }], agency: [], format: [], frequency: [], tag: [], licence: [] },
    {},
    new URL('http://portal.local/dataset?q=x'),
    { topics: new Map(), agencies: new Map() },
    'vi',
    vi,
    true,
  );
  assert.equal(facets[0].values[0].countText, '≈41.000');
});

test('in an index of more than a thousand documents a broad match is estimated from where its first matches lie, and a write forgets the estimate', async (t) => {
  const engine = await openEngine(t);
  // Interleaved, as a reindex stores documents in random order: half of them are schools.
  const documents = Array.from({ length: 1_200 }, (_, i) =>
    i % 2 === 0
      ? doc({ title: `Danh sách trường học số ${i}`, topicSlug: 'giao-duc', publishedAt: new Date(Date.UTC(2020, 0, 1, 0, i)) })
      : doc({ title: `Giá đất khu vực ${i}`, topicSlug: 'tai-nguyen' }),
  );
  await engine.upsert(documents);
  const first = await engine.search(query('truong hoc', { exactCountLimit: 100 }));
  assert.equal(first.estimated, true);
  assert.ok(first.total >= 300 && first.total <= 1_000, `about 600 schools, estimated ${first.total}`);
  assert.deepEqual(
    first.facets.topic.map((facet) => facet.value),
    ['giao-duc'],
  );
  assert.equal(first.hits[0].title, 'Danh sách trường học số 1198', 'the newest school first');
  // The same words again, another page and sort: the estimate is reused, the page is read fresh.
  const later = await engine.search(query('truong hoc', { exactCountLimit: 100, page: 2 }));
  assert.equal(later.total, first.total);
  assert.equal(later.hits[0].title, 'Danh sách trường học số 1158');
  // A write by this engine forgets it: 200 more schools are counted.
  await engine.upsert(Array.from({ length: 400 }, (_, i) => doc({ title: i % 2 === 0 ? `Trường học mới ${i}` : `Bản đồ ${i}` })));
  const after = await engine.search(query('truong hoc', { exactCountLimit: 100 }));
  assert.notEqual(after.total, first.total);
});

test('a word most documents hold is read in table order, and answers exactly as through the index', async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.close());
  // Every statement the engine sends, to see which way its matches were read.
  const sent = recordStatements(database);
  const topics = ['giao-duc', 'y-te', 'kinh-te'];
  const documents = Array.from({ length: 1_500 }, (_, i) =>
    doc({
      title: i % 10 < 7 ? `Danh sách doanh nghiệp số ${i}` : `Giá đất khu vực ${i}`,
      topicSlug: topics[i % 3],
      publishedAt: new Date(Date.UTC(2020, 0, 1 + i)),
    }),
  );
  const indexOrder = createPostgresEngine(database.db);
  await indexOrder.upsert(documents);
  const byIndex = await indexOrder.search(query('doanh nghiep', { exactCountLimit: 100 }));
  assert.ok(sent.some((text) => text.includes('with candidates')) && !sent.some((text) => text.includes('enable_bitmapscan = off')), 'without statistics the index is used');

  // ANALYZE gives the share of each common word (autovacuum runs it on a server); a new engine reads it.
  await database.db.execute(sql`analyze search_documents`);
  sent.length = 0;
  const tableOrder = createPostgresEngine(database.db);
  const byTable = await tableOrder.search(query('doanh nghiep', { exactCountLimit: 100 }));
  assert.ok(sent.some((text) => text.includes('with candidates') && text.includes('enable_bitmapscan = off')), 'a word in 70% of documents is read in table order');
  assert.deepEqual(byTable, byIndex);
  assert.equal(byTable.estimated, true);
  assert.ok(Math.abs(byTable.total - 1_050) <= 150, `about 1,050 documents hold the word: ${byTable.total}`);

  sent.length = 0;
  await tableOrder.search(query('doanh nghiep', { exactCountLimit: 100, filters: { topic: ['y-te'] } }));
  assert.ok(!sent.some((text) => text.includes('enable_bitmapscan = off')), 'with a filter, whose share is unknown, the index is used');
});

test("a topic's list is counted once for a few seconds: the next visitor's page is only read, and a change shows at once", async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.close());
  const sent = recordStatements(database);
  const engine = createPostgresEngine(database.db);
  await engine.upsert([...schools(25, 'giao-duc'), ...schools(5, 'y-te')]);
  const list = (page: number) => query('', { sort: 'updated', pageSize: 10, page, filters: { topic: ['giao-duc'] } });
  const first = await engine.search(list(1));
  sent.length = 0;
  const again = await engine.search(list(1));
  assert.deepEqual(again, first);
  assert.ok(!sent.some((text) => text.includes('group by')), 'the counts are not grouped again');
  const second = await engine.search(list(2));
  assert.equal(second.total, 25);
  assert.equal(second.estimated, false);
  assert.deepEqual(
    second.hits.map((hit) => hit.title),
    Array.from({ length: 10 }, (_, i) => `Danh sách trường học số ${14 - i}`),
    'the second page, newest first',
  );
  await engine.upsert(schools(1, 'giao-duc').map((document) => ({ ...document, title: 'Trường mới' })));
  assert.equal((await engine.search(list(1))).total, 26, 'a write of this process counts again');
});
