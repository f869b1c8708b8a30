import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Meilisearch } from 'meilisearch';
import { createMeiliEngine, facetAttribute, meiliSettings } from '../../../src/modules/search/meili-engine.ts';
import { facetNames } from '../../../src/modules/search/search.types.ts';
import { doc, query } from './support.ts';

/**
 * The Meilisearch engine's settings, which give it the PostgreSQL engine's behaviour. Checked as
 * written on every run; against a server only when MEILI_URL is set (this machine has none).
 */
const meiliUrl = process.env.MEILI_URL;
const apiKey = process.env.MEILI_MASTER_KEY ?? '';
const noServer = meiliUrl ? false : 'MEILI_URL is not set: no Meilisearch server to check the settings and the engine against, skipped';

test('Meilisearch settings search the title first, then tags, agency and topic, then the description, each with its folded copy for typing without diacritics', () => {
  const fields = meiliSettings.searchableAttributes;
  const at = (name: string) => fields.indexOf(name);
  for (const name of ['title', 'tags', 'agencyName', 'topicName', 'description']) {
    assert.ok(at(name) >= 0, `${name} is searchable`);
    assert.equal(at(`${name}Folded`), at(name) + 1, `${name}Folded follows ${name}`);
  }
  assert.ok(at('title') < at('tags') && at('tags') < at('agencyName') && at('agencyName') < at('description'));
});

test('Meilisearch settings make every facet filterable and allow typos only in words of five letters or more ("dan" never finds "danh")', () => {
  assert.deepEqual(new Set(meiliSettings.filterableAttributes), new Set(facetNames.map((facet) => facetAttribute[facet])));
  assert.deepEqual(meiliSettings.typoTolerance, { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } });
  // Exact words before typos, the phrase (proximity) before the field, freshness last.
  const rules = meiliSettings.rankingRules;
  assert.ok(rules.indexOf('typo') < rules.indexOf('proximity') && rules.indexOf('proximity') < rules.indexOf('attribute'));
  assert.equal(rules.at(-2), 'publishedAt:desc');
});

test('Meilisearch keeps the settings the engine sets, and finds Vietnamese typed without diacritics', { skip: noServer }, async (t) => {
  const indexName = `settings_${randomBytes(6).toString('hex')}`;
  const client = new Meilisearch({ host: meiliUrl ?? '', apiKey });
  t.after(() => client.deleteIndex(indexName).waitTask().catch(() => undefined));
  const engine = createMeiliEngine(meiliUrl ?? '', apiKey, indexName);
  await engine.setup();
  const settings = await client.index(indexName).getSettings();
  assert.deepEqual(settings.searchableAttributes, meiliSettings.searchableAttributes);
  assert.deepEqual(new Set(settings.filterableAttributes as string[]), new Set(meiliSettings.filterableAttributes));
  assert.deepEqual(settings.rankingRules, meiliSettings.rankingRules);
  assert.deepEqual(settings.typoTolerance?.minWordSizeForTypos, meiliSettings.typoTolerance.minWordSizeForTypos);
  await engine.upsert([doc({ title: 'Đường giao thông nông thôn', tags: ['giao thông'] }), doc({ title: 'Danh sách trường học' })]);
  const found = await engine.search(query('duong giao thong'));
  assert.deepEqual(found.hits.map((hit) => hit.title), ['Đường giao thông nông thôn']);
  const filtered = await engine.search(query('', { filters: { tag: ['giao thông'] } }));
  assert.equal(filtered.total, 1);
});
