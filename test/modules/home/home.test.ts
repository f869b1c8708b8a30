import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { datasets } from '../../../src/modules/datasets/datasets.table.ts';
import { homePageData } from '../../../src/modules/home/home.service.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset, buildTopic } from '../../helpers/factories.ts';

const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);

test('the home page counts each published dataset once per topic group and agency, and in all', async (t) => {
  const { db, storage } = await buildTestApp(t);
  const education = await buildTopic(db, { slug: 'giao-duc' });
  const health = await buildTopic(db, { slug: 'y-te' });
  const empty = await buildTopic(db, { slug: 'trong' });
  const schools = await buildAgency(db, { slug: 'so-gd' });
  const hospitals = await buildAgency(db, { slug: 'so-yt' });
  const silent = await buildAgency(db, { slug: 'so-im-lang' });
  await buildDataset(db, storage, { topic: education, agency: schools });
  await buildDataset(db, storage, { topic: education, agency: schools });
  await buildDataset(db, storage, { topic: health, agency: schools });
  await buildDataset(db, storage, { topic: health, agency: hospitals });
  await buildDataset(db, storage, { topic: health, agency: hospitals, published: false });
  await buildDataset(db, storage, { topic: empty, agency: silent, published: false });

  const data = await homePageData(db);
  const topicCounts = Object.fromEntries(data.topics.map(({ topic, count }) => [topic.slug, count]));
  assert.deepEqual(topicCounts, { 'giao-duc': 2, 'y-te': 2, trong: 0 });
  const agencyCounts = Object.fromEntries(data.agencies.map(({ agency, count }) => [agency.slug, count]));
  assert.deepEqual(agencyCounts, { 'so-gd': 3, 'so-yt': 1, 'so-im-lang': 0 });
  assert.equal(data.datasetCount, 4);
  assert.deepEqual(data.share, { publishing: 2, total: 3, percent: 67 });
});

test('the home page lists the newest published datasets first, six of them', async (t) => {
  const { db, storage } = await buildTestApp(t);
  const titles = ['Tám ngày', 'Một ngày', 'Ba ngày', 'Bảy ngày', 'Hai ngày', 'Năm ngày', 'Bốn ngày', 'Sáu ngày'];
  const ages = [8, 1, 3, 7, 2, 5, 4, 6];
  for (const [index, title] of titles.entries()) {
    await buildDataset(db, storage, { revision: { title, publishedAt: daysAgo(ages[index]) } });
  }
  await buildDataset(db, storage, { published: false, revision: { title: 'Bản nháp mới nhất' } });

  const { latest } = await homePageData(db);
  assert.deepEqual(
    latest.map((row) => row.revision.title),
    ['Một ngày', 'Hai ngày', 'Ba ngày', 'Bốn ngày', 'Năm ngày', 'Sáu ngày'],
  );
});

test('the most downloaded are public datasets ordered by the downloads of all their files', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const popular = await buildDataset(db, storage, { revision: { title: 'Nhiều lượt' }, files: [{ content: 'a\n1\n' }, { content: 'b\n2\n' }] });
  const quiet = await buildDataset(db, storage, { revision: { title: 'Ít lượt' }, files: [{ content: 'a\n1\n' }] });
  const hidden = await buildDataset(db, storage, { published: false, files: [{ content: 'a\n1\n' }] });
  await buildDataset(db, storage, { revision: { title: 'Chưa ai tải' }, files: [{ content: 'a\n1\n' }] });
  // Two files of three downloads each beat one file of five.
  for (let i = 0; i < 3; i++) for (const resource of popular.resources) app.stats.countDownload(resource);
  for (let i = 0; i < 5; i++) app.stats.countDownload(quiet.resources[0]);
  for (let i = 0; i < 50; i++) app.stats.countDownload(hidden.resources[0]);
  await app.stats.flush();

  const { mostDownloaded } = await homePageData(db);
  assert.deepEqual(
    mostDownloaded.map(({ row, downloads }) => [row.revision.title, downloads]),
    [
      ['Nhiều lượt', 6],
      ['Ít lượt', 5],
    ],
  );
  assert.equal(mostDownloaded[0].row.agency.id, popular.agency.id);
  assert.equal(mostDownloaded[0].row.topic.id, popular.topic.id);
});

test('counts shown before a publication include it on the next visit, and a withdrawal leaves them at once', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const topic = await buildTopic(db, { slug: 'giao-duc', nameVi: 'Giáo dục' });
  const agency = await buildAgency(db, { slug: 'so-gd' });
  await buildDataset(db, storage, { topic, agency });
  assert.equal((await homePageData(db)).datasetCount, 1);

  const later = await buildDataset(db, storage, { topic, agency });
  const after = await homePageData(db);
  assert.equal(after.datasetCount, 2);
  assert.equal(after.topics.find((row) => row.topic.slug === 'giao-duc')?.count, 2);
  assert.equal(after.agencies.find((row) => row.agency.slug === 'so-gd')?.count, 2);
  assert.match((await app.inject({ method: 'GET', url: '/group' })).body, /2 tập dữ liệu/);

  await db.update(datasets).set({ publishedRevisionId: null, updatedAt: new Date() }).where(eq(datasets.id, later.dataset.id));
  assert.equal((await homePageData(db)).datasetCount, 1);
  assert.match((await app.inject({ method: 'GET', url: '/group/giao-duc' })).body, /1 tập dữ liệu/);
});

test('the most downloaded list follows each flush of the counters', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const first = await buildDataset(db, storage, { revision: { title: 'Trước' }, files: [{ content: 'a\n1\n' }] });
  const second = await buildDataset(db, storage, { revision: { title: 'Sau' }, files: [{ content: 'a\n1\n' }] });
  app.stats.countDownload(first.resources[0]);
  await app.stats.flush();
  assert.deepEqual((await homePageData(db)).mostDownloaded.map(({ row, downloads }) => [row.revision.title, downloads]), [['Trước', 1]]);

  for (let i = 0; i < 2; i++) app.stats.countDownload(second.resources[0]);
  await app.stats.flush();
  assert.deepEqual(
    (await homePageData(db)).mostDownloaded.map(({ row, downloads }) => [row.revision.title, downloads]),
    [
      ['Sau', 2],
      ['Trước', 1],
    ],
  );
});
