import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isNull } from 'drizzle-orm';
import { createPostgresEngine } from '../../../src/modules/search/postgres-engine.ts';
import { createSearchIndexer, enqueueSearchUpdate } from '../../../src/modules/search/search.outbox.ts';
import { searchOutbox } from '../../../src/modules/search/search.table.ts';
import type { SearchEngine } from '../../../src/modules/search/search.types.ts';
import { withdraw } from '../../../src/modules/reviews/reviews.service.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildDataset, buildUser } from '../../helpers/factories.ts';

const silent = { warn() {}, info() {} };
const query = (text: string) => ({ text, filters: {}, sort: 'relevance' as const, page: 1, pageSize: 20 });

test('a publication committed before a crash is indexed by the next process from the outbox', async (t) => {
  const { db, storage } = await buildTestApp(t);
  // The dataset is published and its outbox row committed; the process "dies" before indexing.
  await buildDataset(db, storage, { revision: { title: 'Danh sách chợ truyền thống' } });
  const engine = createPostgresEngine(db);
  assert.equal((await engine.search(query('cho truyen thong'))).total, 0, 'not indexed yet');

  const nextProcess = createSearchIndexer(db, [engine], silent);
  assert.equal(await nextProcess.drain(), 1);
  assert.equal((await engine.search(query('cho truyen thong'))).total, 1);
  assert.equal((await db.select().from(searchOutbox).where(isNull(searchOutbox.processedAt))).length, 0);
});

test('when the search engine fails, the change stays in the outbox and is indexed on a later try', async (t) => {
  const { db, storage } = await buildTestApp(t);
  await buildDataset(db, storage, { revision: { title: 'Bến xe khách' } });
  const postgres = createPostgresEngine(db);
  let down = true;
  const flaky: SearchEngine = {
    ...postgres,
    async upsert(documents) {
      if (down) throw new Error('search engine unreachable');
      return postgres.upsert(documents);
    },
  };
  const indexer = createSearchIndexer(db, [flaky], silent);
  assert.equal(await indexer.drain(), 0);
  const [pending] = await db.select().from(searchOutbox).where(isNull(searchOutbox.processedAt));
  assert.equal(pending.attempts, 1);
  assert.match(pending.lastError ?? '', /unreachable/);

  down = false;
  assert.equal(await indexer.drain(), 1);
  assert.equal((await postgres.search(query('ben xe'))).total, 1);
});

test('a withdrawn dataset leaves the index', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const built = await buildDataset(db, storage, { revision: { title: 'Điểm thu gom rác' } });
  await app.searchIndexer.drain();
  const leader = await buildUser(db, { role: 'leader', agency: built.agency });
  await withdraw(app.db, { id: leader.id, email: leader.email, role: 'leader', agencyId: built.agency.id, ip: null }, built.dataset.id, 'Dữ liệu sai, cần rà soát');
  await app.searchIndexer.drain();
  const page = await app.inject({ method: 'GET', url: '/dataset?q=thu+gom' });
  assert.doesNotMatch(page.body, /Điểm thu gom rác/);
});

test('reindex rebuilds the index from the database and keeps changes queued meanwhile', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  await buildDataset(db, storage, { revision: { title: 'Khu công nghiệp' } });
  await buildDataset(db, storage, { published: false, revision: { title: 'Bản nháp không được tìm thấy' } });
  assert.equal(await app.searchIndexer.reindexAll(), 1);
  const engine = createPostgresEngine(db);
  assert.equal((await engine.search(query(''))).total, 1);
  await enqueueSearchUpdate(db, [crypto.randomUUID()]);
  assert.equal((await db.select().from(searchOutbox).where(isNull(searchOutbox.processedAt))).length, 1);
});
