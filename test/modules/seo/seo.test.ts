import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset, buildUser } from '../../helpers/factories.ts';

test('a dataset page carries schema.org Dataset JSON-LD that no title can break out of', async (t) => {
  const { app, db, storage } = await buildTestApp(t, { BASE_URL: 'https://data.binhdinh.example' });
  const built = await buildDataset(db, storage, {
    revision: { title: 'Giá đất </script><script>alert(1)</script>', tags: ['đất đai'] },
    files: [{ content: 'a,b\n1,2\n' }],
  });
  const response = await app.inject({ method: 'GET', url: `/dataset/${built.dataset.slug}` });
  const block = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(response.body)?.[1];
  assert.ok(block, 'a JSON-LD block');
  assert.doesNotMatch(block, /<\/script>|<script/);
  const data = JSON.parse(block);
  assert.equal(data['@type'], 'Dataset');
  assert.equal(data.name, 'Giá đất </script><script>alert(1)</script>');
  assert.equal(data.url, `https://data.binhdinh.example/dataset/${built.dataset.slug}`);
  assert.equal(data.distribution[0]['@type'], 'DataDownload');
  assert.match(data.distribution[0].contentUrl, /^https:\/\/data\.binhdinh\.example\/dataset\/.+\/download/);
});

test('pages carry an absolute canonical URL and Open Graph tags', async (t) => {
  const { app } = await buildTestApp(t, { BASE_URL: 'https://data.binhdinh.example' });
  const response = await app.inject({ method: 'GET', url: '/group?x=1' });
  assert.match(response.body, /<link rel="canonical" href="https:\/\/data\.binhdinh\.example\/group">/);
  assert.match(response.body, /<meta property="og:title" content="Nhóm chủ đề">/);
  assert.match(response.body, /<meta property="og:locale" content="vi_VN">/);
});

test('the dataset page offers a citation built from DOIT’s template (782 Art. 10.2)', async (t) => {
  const { app, db, storage } = await buildTestApp(t, { BASE_URL: 'https://data.binhdinh.example' });
  const agency = await buildAgency(db, { name: 'Sở Y tế' });
  const built = await buildDataset(db, storage, { agency, revision: { title: 'Danh sách nhà thuốc' } });
  const page = await app.inject({ method: 'GET', url: `/dataset/${built.dataset.slug}` });
  const text = /<textarea id="citation"[^>]*>([^<]*)<\/textarea>/.exec(page.body)?.[1] ?? '';
  assert.match(text, /^Sở Y tế\. Danh sách nhà thuốc\. Cổng dữ liệu mở tỉnh Bình Định\. https:\/\/data\.binhdinh\.example\/dataset\/.+ \(truy cập ngày .+\)\.$/);

  const doit = await buildUser(db, { role: 'admin' });
  await app.settings.update({ id: doit.id, email: doit.email, role: 'admin', agencyId: null, ip: null }, { citationTemplateVi: 'Nguồn: {portal} – {title}' });
  const again = await app.inject({ method: 'GET', url: `/dataset/${built.dataset.slug}` });
  assert.match(again.body, /Nguồn: Cổng dữ liệu mở tỉnh Bình Định – Danh sách nhà thuốc/);
});

test('the sitemap lists public pages and published datasets only; robots.txt keeps crawlers out of the back office', async (t) => {
  const { app, db, storage } = await buildTestApp(t, { BASE_URL: 'https://data.binhdinh.example' });
  const shown = await buildDataset(db, storage);
  const hidden = await buildDataset(db, storage, { published: false });
  const sitemap = await app.inject({ method: 'GET', url: '/sitemap.xml' });
  assert.match(sitemap.headers['content-type'] as string, /application\/xml/);
  assert.match(sitemap.body, new RegExp(`<loc>https://data\\.binhdinh\\.example/dataset/${shown.dataset.slug}</loc>`));
  assert.doesNotMatch(sitemap.body, new RegExp(hidden.dataset.slug));
  const robots = await app.inject({ method: 'GET', url: '/robots.txt' });
  assert.match(robots.body, /Disallow: \/admin/);
  assert.match(robots.body, /Sitemap: https:\/\/data\.binhdinh\.example\/sitemap\.xml/);
});
