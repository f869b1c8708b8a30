import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPostgresEngine } from '../../../src/modules/search/postgres-engine.ts';
import { createSearchService } from '../../../src/modules/search/search.service.ts';
import type { SearchEngine } from '../../../src/modules/search/search.types.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildDataset } from '../../helpers/factories.ts';

test('when Meilisearch is down, search answers from PostgreSQL and says results may be incomplete', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  await buildDataset(db, storage, { revision: { title: 'Danh sách khu du lịch' } });
  await app.searchIndexer.drain();
  const postgres = createPostgresEngine(db);
  const down: SearchEngine = {
    ...postgres,
    name: 'meilisearch',
    async search() {
      throw new Error('connect ECONNREFUSED 127.0.0.1:7700');
    },
  };
  const warnings: string[] = [];
  const service = createSearchService(db, down, postgres, { warn: (_details, message) => warnings.push(message) });
  const result = await service.search({ text: 'du lich', filters: {}, sort: 'relevance', page: 1, pageSize: 20 });
  assert.equal(result.total, 1);
  assert.equal(result.degraded, true);
  assert.equal(result.engine, 'postgres');
  assert.equal(warnings.length, 1);
});
