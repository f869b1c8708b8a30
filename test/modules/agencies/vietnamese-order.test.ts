import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset, buildTopic } from '../../helpers/factories.ts';

// Seen in a browser: /organization and the admin lists put "Sở Khoa học" before "Sở Kế hoạch" and
// "Sở Nông nghiệp" before "Sở Nội vụ"; "Tên (A–Z)" put every lower-case title after the capitals.

const inOrderOfAppearance = (body: string, names: string[]) =>
  [...names].sort((a, b) => body.indexOf(a) - body.indexOf(b));

test('/organization lists agencies in Vietnamese order: Kế before Khoa, Nội before Nông', async (t) => {
  const { app, db } = await buildTestApp(t);
  const names = ['Sở Nông nghiệp và Phát triển nông thôn', 'Sở Khoa học và Công nghệ', 'Sở Nội vụ', 'Sở Kế hoạch và Đầu tư'];
  for (const name of names) await buildAgency(db, { name });
  const page = await app.inject({ url: '/organization' });
  assert.equal(page.statusCode, 200);
  assert.deepEqual(inOrderOfAppearance(page.body, names), ['Sở Kế hoạch và Đầu tư', 'Sở Khoa học và Công nghệ', 'Sở Nội vụ', 'Sở Nông nghiệp và Phát triển nông thôn']);
});

test('“Tên (A–Z)” on /dataset ignores capitals and follows Vietnamese letters', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const topic = await buildTopic(db);
  const titles = ['Khu công nghiệp', 'bến xe khách', 'Kết quả thi tốt nghiệp', 'Cảng cá'];
  for (const title of titles) await buildDataset(db, storage, { topic, revision: { title } });
  await app.searchIndexer.drain();
  const page = await app.inject({ url: '/dataset?sort=name' });
  assert.equal(page.statusCode, 200);
  assert.deepEqual(inOrderOfAppearance(page.body, titles), ['bến xe khách', 'Cảng cá', 'Kết quả thi tốt nghiệp', 'Khu công nghiệp']);
});

test('a topic’s page sorted by name follows Vietnamese order too', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const topic = await buildTopic(db, { slug: 'giao-thong' });
  const titles = ['Cầu Thị Nại', 'bến xe Quy Nhơn', 'Đèn tín hiệu'];
  for (const title of titles) await buildDataset(db, storage, { topic, revision: { title } });
  const page = await app.inject({ url: '/group/giao-thong?sort=name' });
  assert.equal(page.statusCode, 200);
  assert.deepEqual(inOrderOfAppearance(page.body, titles), ['bến xe Quy Nhơn', 'Cầu Thị Nại', 'Đèn tín hiệu']);
});
