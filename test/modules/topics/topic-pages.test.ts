import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getAgencyWithDatasets } from '../../../src/modules/agencies/agencies.service.ts';
import { getTopicWithDatasets } from '../../../src/modules/topics/topics.service.ts';
import { parsePage } from '../../../src/lib/pagination.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset, buildTopic } from '../../helpers/factories.ts';

const titles = (page: { items: Array<{ revision: { title: string } }> }) => page.items.map((row) => row.revision.title);

test('a topic group lists its published datasets by title, twenty a page, with the same total on every page', async (t) => {
  const { db, storage } = await buildTestApp(t);
  const topic = await buildTopic(db, { slug: 'giao-duc' });
  const other = await buildTopic(db);
  const agencies = [await buildAgency(db), await buildAgency(db)];
  // Created out of order, so that the listing has to sort them.
  for (const n of [7, 22, 3, 15, 11, 1, 19, 5, 13, 9, 17, 21, 2, 8, 14, 20, 4, 16, 6, 23, 10, 18, 12]) {
    await buildDataset(db, storage, { topic, agency: agencies[n % 2], revision: { title: `Tập ${String(n).padStart(2, '0')}` } });
  }
  await buildDataset(db, storage, { topic, published: false, revision: { title: 'Tập 00 nháp' } });
  await buildDataset(db, storage, { topic: other, revision: { title: 'Tập 00 chủ đề khác' } });

  const first = (await getTopicWithDatasets(db, 'giao-duc', parsePage('1'))).datasets;
  assert.equal(first.total, 23);
  assert.equal(first.pageCount, 2);
  assert.deepEqual(titles(first), Array.from({ length: 20 }, (_, i) => `Tập ${String(i + 1).padStart(2, '0')}`));
  const second = (await getTopicWithDatasets(db, 'giao-duc', parsePage('2'))).datasets;
  assert.deepEqual(titles(second), ['Tập 21', 'Tập 22', 'Tập 23']);
  assert.equal(second.total, 23);
  const past = (await getTopicWithDatasets(db, 'giao-duc', parsePage('3'))).datasets;
  assert.deepEqual(past.items, []);
  assert.equal(past.total, 23, 'a page past the end still says how many there are');

  const agency = (await getAgencyWithDatasets(db, agencies[1].slug, parsePage('1'))).datasets;
  assert.equal(agency.total, 12);
  assert.deepEqual(titles(agency), ['Tập 01', 'Tập 03', 'Tập 05', 'Tập 07', 'Tập 09', 'Tập 11', 'Tập 13', 'Tập 15', 'Tập 17', 'Tập 19', 'Tập 21', 'Tập 23']);
  assert.ok(agency.items.every((row) => row.agency.id === agencies[1].id && row.topic.id === topic.id));
});
