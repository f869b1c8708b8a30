import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { parsePage } from '../../../src/lib/pagination.ts';
import { getAgencyWithDatasets } from '../../../src/modules/agencies/agencies.service.ts';
import { datasets } from '../../../src/modules/datasets/datasets.table.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset } from '../../helpers/factories.ts';

const titlesOf = async (db: Parameters<typeof getAgencyWithDatasets>[0], slug: string, page = '1') => {
  const { datasets: found } = await getAgencyWithDatasets(db, slug, parsePage(page));
  return { titles: found.items.map((row) => row.revision.title), total: found.total };
};

test('an agency’s page follows a publication and a withdrawal made after it was shown', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const agency = await buildAgency(db, { slug: 'so-gd', name: 'Sở Giáo dục' });
  for (const title of ['Bảng C', 'Bảng A', 'Bảng B']) await buildDataset(db, storage, { agency, revision: { title } });
  await buildDataset(db, storage, { revision: { title: 'Bảng 0 của cơ quan khác' } });
  await buildDataset(db, storage, { agency, published: false, revision: { title: 'Bảng 0 nháp' } });
  assert.deepEqual(await titlesOf(db, 'so-gd'), { titles: ['Bảng A', 'Bảng B', 'Bảng C'], total: 3 });

  const first = await buildDataset(db, storage, { agency, revision: { title: 'Bảng 1' } });
  assert.deepEqual(await titlesOf(db, 'so-gd'), { titles: ['Bảng 1', 'Bảng A', 'Bảng B', 'Bảng C'], total: 4 });
  assert.match((await app.inject({ method: 'GET', url: '/organization/so-gd' })).body, /Bảng 1/);

  await db.update(datasets).set({ publishedRevisionId: null, updatedAt: new Date() }).where(eq(datasets.id, first.dataset.id));
  assert.deepEqual(await titlesOf(db, 'so-gd'), { titles: ['Bảng A', 'Bảng B', 'Bảng C'], total: 3 });
  assert.deepEqual(await titlesOf(db, 'so-gd', '2'), { titles: [], total: 3 });
});
