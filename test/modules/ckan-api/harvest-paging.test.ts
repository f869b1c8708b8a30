import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset, buildTopic } from '../../helpers/factories.ts';
import { callAction } from './ckan-helpers.ts';

test('a harvester paging with sort=id asc sees every published dataset once, and a start past the end gives an empty list', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const agency = await buildAgency(db);
  const topic = await buildTopic(db);
  const published: string[] = [];
  // The same publication time for all: paging must not depend on it.
  const at = new Date('2026-11-30T07:15:02.123Z');
  for (let index = 0; index < 23; index++) {
    const built = await buildDataset(db, storage, { agency, topic, revision: { publishedAt: at } });
    published.push(built.dataset.id);
  }
  await buildDataset(db, storage, { agency, topic, published: false });

  const seen: string[] = [];
  for (let start = 0; ; start += 5) {
    const { body } = await callAction(app, 'package_search', { q: '*:*', sort: 'id asc', rows: 5, start });
    assert.equal(body.result.count, 23);
    if (body.result.results.length === 0) break;
    seen.push(...body.result.results.map((dataset: { id: string }) => dataset.id));
  }
  assert.equal(seen.length, 23);
  assert.equal(new Set(seen).size, 23, 'no dataset repeats across pages');
  assert.deepEqual(seen, [...published].sort(), 'ids ascend across pages');

  const past = await callAction(app, 'package_search', { sort: 'id asc', rows: 5, start: 1000 });
  assert.equal(past.status, 200);
  assert.deepEqual(past.body.result.results, []);
  assert.equal(past.body.result.count, 23);

  const byName = await callAction(app, 'package_search', { sort: 'name asc', rows: 1000 });
  const names = byName.body.result.results.map((dataset: { name: string }) => dataset.name);
  assert.deepEqual(names, [...names].sort());
  const newest = await callAction(app, 'package_search', { sort: 'metadata_modified desc', rows: 3 });
  assert.equal(newest.body.result.results.length, 3);
  assert.equal(newest.body.result.results[0].metadata_modified, '2026-11-30T07:15:02.123000', 'naive UTC with microseconds');
});
