import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedDemo, seedDemoIfEmpty } from '../../../src/modules/demo/seed-demo.ts';
import { buildTestApp } from '../../helpers/app.ts';

test('the demo loads the 14 topic groups and the 167 datasets of the Bình Định catalogue, each with its tags and a downloadable CSV', async (t) => {
  const { app, database, storage } = await buildTestApp(t);
  const summary = await seedDemo({ database, storage });
  assert.deepEqual({ topics: summary.topics, datasets: summary.datasets }, { topics: 14, datasets: 167 });
  await app.searchIndexer.drain();

  const home = await app.inject({ method: 'GET', url: '/' });
  assert.equal(home.statusCode, 200);
  assert.equal((home.body.match(/class="topic-card"/g) ?? []).length, 14);
  assert.match(home.body, /167/);

  // The tags the demo chose for each dataset are stored and indexed: nearly every one carries the province's.
  const tagged = await app.inject({ method: 'GET', url: `/dataset?tag=${encodeURIComponent('bình định')}` });
  assert.equal(tagged.statusCode, 200);
  assert.ok(Number(/class="result-count">(\d+) tập dữ liệu/.exec(tagged.body)?.[1] ?? 0) > 150, 'the tag facet filters the demo datasets');

  const list = await app.inject({ method: 'GET', url: '/dataset?q=truong mau giao' });
  const datasetPath = /href="(\/dataset\/[a-z0-9-]+)"/.exec(list.body)?.[1];
  assert.ok(datasetPath, 'a search without diacritics finds the kindergartens dataset');
  const page = await app.inject({ method: 'GET', url: datasetPath });
  const downloadPath = /href="(\/dataset\/[^"]+\/download\/[^"]+)"/.exec(page.body)?.[1];
  assert.ok(downloadPath);
  const download = await app.inject({ method: 'GET', url: downloadPath });
  assert.equal(download.statusCode, 200);
  assert.match(download.headers['content-type'] as string, /^text\/csv/);
  assert.ok(download.body.split('\n').length > 10);
});

test('the demo is loaded only into an empty embedded database unless told otherwise', async (t) => {
  const { database, storage, config } = await buildTestApp(t);
  assert.equal(await seedDemoIfEmpty({ config: { ...config, SEED_DEMO: 'never' }, database, storage }), null);
  const auto = await seedDemoIfEmpty({ config: { ...config, SEED_DEMO: 'auto' }, database, storage });
  assert.equal(auto === null, database.driver === 'postgres');
  const always = await seedDemoIfEmpty({ config: { ...config, SEED_DEMO: 'always' }, database, storage });
  assert.equal(always === null, database.driver === 'pglite', 'a second run finds the database filled');
});

test('seed-demo refuses a database that already holds datasets', async (t) => {
  const { database, storage } = await buildTestApp(t);
  await seedDemo({ database, storage });
  await assert.rejects(seedDemo({ database, storage }), /already holds datasets/);
});
