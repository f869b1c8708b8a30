import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSearchDocuments } from './demo-documents.ts';
import { enginesUnderTest, query } from './support.ts';
import { relevanceCases } from './relevance-cases.ts';

/**
 * The relevance set against the demo catalogue, on PostgreSQL (PGlite, or the server of
 * TEST_DATABASE_URL) and on Meilisearch when MEILI_URL answers. One index per engine for all cases.
 */
const engines = await enginesUnderTest('relevance', 'relevance');

const documents = demoSearchDocuments();
const numberOf = new Map(documents.map((document) => [document.datasetId, Number(document.datasetId.slice(-12))]));

for (const engine of engines) {
  test(`${engine.name}: each query of the relevance set puts its datasets first and stays within its bound`, { skip: engine.skip }, async (t) => {
    const search = await engine.open(t);
    await search.upsert(documents);
    for (const { query: text, first, atMost } of relevanceCases) {
      const result = await search.search(query(text));
      const found = result.hits.map((hit) => numberOf.get(hit.datasetId));
      assert.deepEqual(new Set(found.slice(0, first.length)), new Set(first), `"${text}" puts ${first.join(', ')} first (found ${found.join(', ')})`);
      assert.ok(result.total <= atMost, `"${text}" finds at most ${atMost} datasets (found ${result.total})`);
    }
  });

  test(`${engine.name}: "dan so" finds the population dataset first and fewer than 10 datasets`, { skip: engine.skip }, async (t) => {
    const search = await engine.open(t);
    await search.upsert(documents);
    const result = await search.search(query('dan so'));
    assert.match(result.hits[0]?.title ?? '', /^Dữ liệu về dân số/);
    assert.ok(result.total < 10, `found ${result.total}`);
  });
}
