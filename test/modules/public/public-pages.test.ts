import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset, buildTopic } from '../../helpers/factories.ts';

test('the home page lists topic groups with their published dataset counts and the share of agencies that publish', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const education = await buildTopic(db, { nameVi: 'Giáo dục', nameEn: 'Education', slug: 'giao-duc' });
  const publisher = await buildAgency(db, { name: 'Sở Giáo dục và Đào tạo' });
  await buildAgency(db, { name: 'UBND huyện An Lão', kind: 'district_committee' });
  await buildDataset(db, storage, { topic: education, agency: publisher });
  await buildDataset(db, storage, { topic: education, agency: publisher, published: false });

  const response = await app.inject({ method: 'GET', url: '/' });
  assert.equal(response.statusCode, 200);
  assert.match(response.headers['content-type'] as string, /text\/html/);
  assert.match(response.body, /Giáo dục/);
  assert.match(response.body, /1 tập dữ liệu/);
  assert.match(response.body, /50%/);
  assert.match(response.body, /1\/2 cơ quan/);
});

test('a topic group page lists only its published datasets', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const topic = await buildTopic(db, { slug: 'y-te-suc-khoe', nameVi: 'Y tế, Sức khỏe' });
  const shown = await buildDataset(db, storage, { topic, revision: { title: 'Danh sách nhà thuốc' } });
  await buildDataset(db, storage, { topic, published: false, revision: { title: 'Bản nháp bí mật' } });

  const response = await app.inject({ method: 'GET', url: '/group/y-te-suc-khoe' });
  assert.equal(response.statusCode, 200);
  assert.match(response.body, /Danh sách nhà thuốc/);
  assert.doesNotMatch(response.body, /Bản nháp bí mật/);
  assert.match(response.body, new RegExp(`/dataset/${shown.dataset.slug}`));
});

test('an unpublished dataset is not found by the public', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const draft = await buildDataset(db, storage, { published: false });
  const response = await app.inject({ method: 'GET', url: `/dataset/${draft.dataset.slug}` });
  assert.equal(response.statusCode, 404);
  assert.match(response.headers['content-type'] as string, /text\/html/);
});

test('an unknown page answers 404 in the portal layout, not JSON', async (t) => {
  const { app } = await buildTestApp(t);
  const response = await app.inject({ method: 'GET', url: '/khong-co-trang-nay' });
  assert.equal(response.statusCode, 404);
  assert.match(response.body, /<main/);
  assert.match(response.body, /Không tìm thấy trang bạn cần/);
});

test('a page number that is not a positive integer answers 400 with a sentence', async (t) => {
  const { app, db } = await buildTestApp(t);
  await buildTopic(db, { slug: 'giao-duc' });
  for (const page of ['0', '-1', 'abc', '1.5']) {
    const response = await app.inject({ method: 'GET', url: `/group/giao-duc?page=${page}` });
    assert.equal(response.statusCode, 400, `page=${page}`);
    assert.match(response.body, /số nguyên dương/);
  }
});

test('the dataset page shows the catalogue fields and a download link for each file', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const built = await buildDataset(db, storage, {
    revision: { title: 'Danh sách trường học', updateFrequency: 'quarterly', notes: 'Cập nhật theo năm học', firstPublicationDate: '2024-03-15' },
    files: [{ name: 'Trường học 2024', content: 'ten,huyen\nTHPT Quốc Học,Quy Nhơn\n' }],
  });
  const response = await app.inject({ method: 'GET', url: `/dataset/${built.dataset.slug}` });
  assert.equal(response.statusCode, 200);
  assert.match(response.body, /Danh sách trường học/);
  assert.match(response.body, /Hằng quý/);
  assert.match(response.body, /Cập nhật theo năm học/);
  assert.match(response.body, new RegExp(`/dataset/${built.dataset.slug}/resource/${built.resources[0].id}/download/`));
});

test('a download streams the stored file with its type and a Vietnamese-safe file name', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const content = 'tên trường,huyện\nTHPT Quốc Học Quy Nhơn,Quy Nhơn\n';
  const built = await buildDataset(db, storage, { files: [{ fileName: 'trường-học.csv', content }] });
  const resource = built.resources[0];
  const response = await app.inject({ method: 'GET', url: `/dataset/${built.dataset.slug}/resource/${resource.id}/download` });
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
  assert.match(response.headers['content-disposition'] as string, /^attachment; filename="?truong-hoc\.csv"?; filename\*=UTF-8''tr%C6%B0%E1%BB%9Dng-h%E1%BB%8Dc\.csv$/);
  // CSVs go out with a UTF-8 BOM so that Excel opens them (test/modules/resources/excel-downloads.test.ts).
  assert.equal(response.headers['content-length'], String(Buffer.byteLength(content) + 3));
  assert.equal(response.body, `\uFEFF${content}`);
});

test('a download whose stored file has gone missing answers 404, not 500', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const built = await buildDataset(db, storage, { files: [{ content: 'a,b\n1,2\n' }] });
  await storage.delete(built.resources[0].storageKey!);
  const response = await app.inject({ method: 'GET', url: `/dataset/${built.dataset.slug}/resource/${built.resources[0].id}/download` });
  assert.equal(response.statusCode, 404);
  assert.match(response.body, /tạm thời không có/);
});

test('a resource id that is not a UUID is simply not found', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const built = await buildDataset(db, storage);
  const response = await app.inject({ method: 'GET', url: `/dataset/${built.dataset.slug}/resource/not-a-uuid/download` });
  assert.equal(response.statusCode, 404);
});

test('pages switch to English with ?lang=en and remember the choice', async (t) => {
  const { app, db } = await buildTestApp(t);
  await buildTopic(db, { nameVi: 'Giáo dục', nameEn: 'Education' });
  const english = await app.inject({ method: 'GET', url: '/?lang=en' });
  assert.match(english.body, /<html lang="en">/);
  assert.match(english.body, /Education/);
  const cookie = english.cookies.find((c) => c.name === 'lang');
  assert.equal(cookie?.value, 'en');
  const next = await app.inject({ method: 'GET', url: '/group', cookies: { lang: 'en' } });
  assert.match(next.body, /Topic groups/);
});

test('the dataset list answers with all published datasets when no query is given', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  await buildDataset(db, storage, { revision: { title: 'Danh sách nhà thuốc' } });
  await app.searchIndexer.drain();
  const response = await app.inject({ method: 'GET', url: '/dataset' });
  assert.equal(response.statusCode, 200);
  assert.match(response.body, /Danh sách nhà thuốc/);
});

test('the dataset list finds titles typed without diacritics and trims a very long query', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  await buildDataset(db, storage, { revision: { title: 'Danh sách trường mẫu giáo' } });
  await app.searchIndexer.drain();
  const folded = await app.inject({ method: 'GET', url: `/dataset?q=${encodeURIComponent('truong mau giao')}` });
  assert.match(folded.body.replace(/<\/?mark>/g, ''), /Danh sách trường mẫu giáo/);
  assert.match(folded.body, /<mark>trường<\/mark>/, 'the matched words are highlighted');
  const long = await app.inject({ method: 'GET', url: `/dataset?q=${'a'.repeat(2000)}` });
  assert.equal(long.statusCode, 200);
  const wildcard = await app.inject({ method: 'GET', url: `/dataset?q=${encodeURIComponent("%' or 1=1 --")}` });
  assert.equal(wildcard.statusCode, 200);
  assert.doesNotMatch(wildcard.body, /Danh sách trường mẫu giáo/);
});

test('the home page lists the most downloaded datasets once downloads are counted', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const popular = await buildDataset(db, storage, { revision: { title: 'Giá vé xe buýt' }, files: [{ content: 'tuyen,gia\n1,7000\n' }] });
  const url = `/dataset/${popular.dataset.slug}/resource/${popular.resources[0].id}/download`;
  for (let i = 0; i < 3; i++) assert.equal((await app.inject({ method: 'GET', url })).statusCode, 200);
  await app.stats.flush();
  const home = await app.inject({ method: 'GET', url: '/' });
  assert.match(home.body, /Được tải nhiều nhất/);
  assert.match(home.body, /Giá vé xe buýt<\/a> <span class="muted small">3 lượt tải/);
});
