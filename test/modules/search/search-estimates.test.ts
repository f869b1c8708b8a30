import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../../src/i18n/i18n.ts';
import { createPostgresEngine } from '../../../src/modules/search/postgres-engine.ts';
import { presentCount, presentFacets } from '../../../src/modules/search/search.presenter.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { doc, query } from './support.ts';

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
