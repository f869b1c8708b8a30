import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { buildDataset, insertRevision, setPublishedRevision } from '../../helpers/factories.ts';
import { getPublishedDataset } from '../../../src/modules/datasets/datasets.service.ts';
import { datasetRevisions } from '../../../src/modules/datasets/datasets.table.ts';
import { insertResources } from '../../../src/modules/resources/resources.repository.ts';
import { buildTestApp } from '../../helpers/app.ts';

test('the dataset page shows each approved revision with its own files, and a file’s downloads across revisions', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const built = await buildDataset(db, storage, {
    slug: 'truong-hoc',
    revision: { title: 'Trường học 2023' },
    files: [
      { name: 'Danh sách', content: 'a\n1\n' },
      { name: 'Báo cáo cũ', content: 'b\n2\n' },
    ],
  });
  const [list, oldReport] = built.resources;
  // Version 2 keeps "Danh sách" (same lineage), drops the old report and adds a map; version 3 is a draft
  // and never shows.
  const v2 = await insertRevision(db, { datasetId: built.dataset.id, number: 2, state: 'published', title: 'Trường học 2024', topicId: built.topic.id, publishedAt: new Date() });
  const [listV2, map] = await insertResources(db, [
    { revisionId: v2.id, lineageId: list.lineageId, position: 0, name: 'Danh sách', format: 'CSV', url: 'https://example.gov.vn/a.csv' },
    { revisionId: v2.id, position: 1, name: 'Bản đồ', format: 'GeoJSON', url: 'https://example.gov.vn/b.geojson' },
  ]);
  await db.update(datasetRevisions).set({ state: 'superseded' }).where(eq(datasetRevisions.id, built.revision.id));
  await setPublishedRevision(db, built.dataset.id, v2.id, new Date());
  const v3 = await insertRevision(db, { datasetId: built.dataset.id, number: 3, state: 'draft', title: 'Bản nháp', topicId: built.topic.id });
  await insertResources(db, [{ revisionId: v3.id, position: 0, name: 'Tệp nháp', format: 'CSV', url: 'https://example.gov.vn/c.csv' }]);
  // A revision without any file still has its place in the history.
  await insertRevision(db, { datasetId: built.dataset.id, number: 0, state: 'superseded', title: 'Trường học 2022', topicId: built.topic.id, publishedAt: new Date(0) });

  for (let i = 0; i < 2; i++) app.stats.countDownload(list);
  app.stats.countDownload(listV2);
  app.stats.countDownload(oldReport);
  await app.stats.flush();

  const { row, resources, history, downloadCounts } = await getPublishedDataset(db, 'truong-hoc');
  assert.equal(row.revision.id, v2.id);
  assert.equal(row.revision.title, 'Trường học 2024');
  assert.equal(row.topic.id, built.topic.id);
  assert.equal(row.agency.id, built.agency.id);
  assert.deepEqual(resources.map((resource) => resource.id), [listV2.id, map.id]);
  assert.deepEqual(
    history.map((entry) => [entry.revision.number, entry.resources.map((resource) => resource.name)]),
    [
      [2, ['Danh sách', 'Bản đồ']],
      [1, ['Danh sách', 'Báo cáo cũ']],
      [0, []],
    ],
  );
  assert.deepEqual([...downloadCounts], [
    [listV2.id, 3],
    [map.id, 0],
  ]);

  const page = await app.inject({ method: 'GET', url: '/dataset/truong-hoc' });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Trường học 2024/);
  assert.doesNotMatch(page.body, /Tệp nháp/);
});

test('a dataset that is not public, or no longer, is not found', async (t) => {
  const { db, storage } = await buildTestApp(t);
  await buildDataset(db, storage, { slug: 'nhap', published: false });
  await assert.rejects(getPublishedDataset(db, 'nhap'), { statusCode: 404 });
  await assert.rejects(getPublishedDataset(db, 'khong-co'), { statusCode: 404 });
});
