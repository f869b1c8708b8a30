import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { buildDataset, buildTopic } from '../../helpers/factories.ts';

async function catalogue(t: import('node:test').TestContext) {
  const testApp = await buildTestApp(t);
  const { db, storage } = testApp;
  const education = await buildTopic(db, { slug: 'giao-duc', nameVi: 'Giáo dục', nameEn: 'Education' });
  const health = await buildTopic(db, { slug: 'y-te', nameVi: 'Y tế', nameEn: 'Health' });
  await buildDataset(db, storage, { topic: education, revision: { title: 'Danh sách trường mầm non', tags: ['trường học'] } });
  await buildDataset(db, storage, { topic: education, revision: { title: 'Số học sinh theo huyện' } });
  await buildDataset(db, storage, { topic: health, revision: { title: 'Danh sách nhà thuốc' } });
  await testApp.app.searchIndexer.drain();
  return testApp;
}

const text = (html: string) => html.replace(/<[^>]+>/g, '');

test('the search page shows facets with counts and a facet link narrows the results, all in the URL', async (t) => {
  const { app } = await catalogue(t);
  const all = await app.inject({ method: 'GET', url: '/dataset' });
  assert.match(text(all.body), /3 tập dữ liệu/);
  const facetLink = /href="(\/dataset\?topic=giao-duc)"/.exec(all.body)?.[1];
  assert.ok(facetLink, 'a link to filter by the Giáo dục topic');
  const narrowed = await app.inject({ method: 'GET', url: facetLink });
  assert.match(text(narrowed.body), /2 tập dữ liệu/);
  assert.doesNotMatch(narrowed.body, /Danh sách nhà thuốc/);
});

test('unknown facet values are ignored rather than refused', async (t) => {
  const { app } = await catalogue(t);
  const response = await app.inject({ method: 'GET', url: '/dataset?topic=khong-ton-tai&format=EXE&tag=%27%3B--' });
  assert.equal(response.statusCode, 200);
  assert.match(text(response.body), /3 tập dữ liệu/);
});

test('a 2,000-character query is trimmed and answered', async (t) => {
  const { app } = await catalogue(t);
  const response = await app.inject({ method: 'GET', url: `/dataset?q=${'truong '.repeat(300)}` });
  assert.equal(response.statusCode, 200);
});

test('a page beyond the end is empty and offers a way back', async (t) => {
  const { app } = await catalogue(t);
  const response = await app.inject({ method: 'GET', url: '/dataset?page=40' });
  assert.equal(response.statusCode, 200);
  assert.match(response.body, /Trang này không có tập dữ liệu nào/);
  assert.match(response.body, /href="\/dataset\?page=1"/);
});

test('a typo is answered with near matches and says so', async (t) => {
  const { app } = await catalogue(t);
  const response = await app.inject({ method: 'GET', url: `/dataset?q=${encodeURIComponent('nha thuco')}` });
  assert.match(text(response.body), /Danh sách nhà thuốc/);
  assert.match(response.body, /tên gần giống/);
});

test('an invalid sort falls back to relevance and an invalid page answers 400', async (t) => {
  const { app } = await catalogue(t);
  assert.equal((await app.inject({ method: 'GET', url: '/dataset?sort=drop' })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/dataset?page=-2' })).statusCode, 400);
});

test('the search page in English names the topic groups in English', async (t) => {
  const { app } = await catalogue(t);
  const response = await app.inject({ method: 'GET', url: '/dataset?lang=en' });
  assert.match(response.body, /Education/);
  assert.match(response.body, /Most downloaded/);
});

test('sorting by downloads follows the counted downloads without a reindex', async (t) => {
  const { app, db, storage } = await catalogue(t);
  const popular = await buildDataset(db, storage, { revision: { title: 'Giá vé xe buýt' }, files: [{ content: 'tuyen,gia\n1,7000\n' }] });
  await app.searchIndexer.drain();
  for (let i = 0; i < 2; i++) await app.inject({ method: 'GET', url: `/dataset/${popular.dataset.slug}/resource/${popular.resources[0].id}/download` });
  await app.stats.flush();
  const response = await app.inject({ method: 'GET', url: '/dataset?sort=downloads' });
  const first = /class="dataset-item__title"><a href="([^"]+)"/.exec(response.body)?.[1];
  assert.equal(first, `/dataset/${popular.dataset.slug}`);
});

test('the licence facet links carry a value and filter, and a licence nobody uses matches nothing', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  await buildDataset(db, storage, { revision: { title: 'Giá đất có giấy phép riêng', licence: 'CC BY 4.0' } });
  await buildDataset(db, storage, { revision: { title: 'Danh sách chợ theo điều khoản chung' } });
  await app.searchIndexer.drain();
  const all = await app.inject({ method: 'GET', url: '/dataset' });
  const links = [...all.body.matchAll(/href="(\/dataset\?licence=[^"]*)"/g)].map((match) => match[1]);
  assert.deepEqual(links.sort(), ['/dataset?licence=CC+BY+4.0', '/dataset?licence=default']);
  const byDefault = text((await app.inject({ method: 'GET', url: '/dataset?licence=default' })).body);
  assert.match(byDefault, /1 tập dữ liệu/);
  assert.match(byDefault, /Danh sách chợ theo điều khoản chung/);
  const byName = text((await app.inject({ method: 'GET', url: '/dataset?licence=CC+BY+4.0' })).body);
  assert.match(byName, /Giá đất có giấy phép riêng/);
  assert.doesNotMatch(byName, /Danh sách chợ/);
  const unknown = await app.inject({ method: 'GET', url: '/dataset?licence=abc' });
  assert.equal(unknown.statusCode, 200);
  assert.match(text(unknown.body), /0 tập dữ liệu/);
});
