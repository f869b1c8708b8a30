import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { resourceLinkChecks } from '../../../src/modules/quality/quality.table.ts';
import { checkPublishedLinks } from '../../../src/modules/quality/quality.service.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset, buildUser, testPassword } from '../../helpers/factories.ts';
import { pageText } from '../datasets/publishing-helpers.ts';

/** A local site with one page that answers and one that does not exist. */
async function localSite(t: { after: (fn: () => Promise<void>) => void }) {
  const server = createServer((request, response) => {
    response.statusCode = request.url === '/ok.json' ? 200 : 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('the daily link check marks a dead link, the officer sees what to fix, and the public page shows the quality badge', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const site = await localSite(t);
  const agency = await buildAgency(db);
  const { dataset } = await buildDataset(db, storage, {
    agency,
    revision: { temporalCoverage: '2024–2026', spatialCoverage: 'Toàn tỉnh', updateFrequency: 'irregular' },
    files: [{ content: 'a,b\n1,2\n' }],
    links: [
      { name: 'Dịch vụ tra cứu', url: `${site}/ok.json`, format: 'JSON' },
      { name: 'Bản đồ cũ', url: `${site}/gone.geojson`, format: 'GeoJSON' },
    ],
  });
  assert.deepEqual(await checkPublishedLinks(db, { allowPrivateAddresses: true }), { checked: 2, broken: 1 });
  const checks = await db.select().from(resourceLinkChecks);
  assert.deepEqual(checks.map((check) => [check.ok, check.status]).sort(), [[false, 404], [true, 200]]);

  const officer = new Agent(app);
  await officer.signIn((await buildUser(db, { role: 'officer', agency })).email, testPassword);
  const list = await officer.get('/admin/quality');
  assert.equal(list.statusCode, 200);
  // licence, temporal, spatial, frequency, on time and an open format pass; description, links and documentation fail.
  assert.match(pageText(list.body), /Chất lượng dữ liệu .* 67% .* 3/);
  const detail = await officer.get(`/admin/quality/${dataset.id}`);
  const text = pageText(detail.body);
  assert.match(text, /Đạt 6\/9 tiêu chí/);
  assert.match(text, /Mô tả từ 100 ký tự — chưa đạt Viết mô tả ít nhất 100 ký tự/);
  assert.match(text, /Liên kết không truy cập được Bản đồ cũ: .*gone\.geojson \(404\)/);
  assert.match(text, /Tài nguyên có mô tả — chưa đạt/);
  assert.match(detail.body, /aria-label="3 trên 5 sao mức độ mở"/);
  assert.match(pageText((await officer.get(`/admin/quality/${dataset.id}?lang=en`)).body), /Description of 100 characters or more — not met Write a description/);

  await db.execute(sql`update resources set description = 'Mô tả tài nguyên.'`);
  await db.execute(sql`update dataset_revisions set description = ${'Danh sách đầy đủ các trường học trên địa bàn tỉnh với địa chỉ, loại hình, số lớp và số học sinh của từng năm học.'}`);
  assert.match(pageText((await officer.get(`/admin/quality/${dataset.id}?lang=vi`)).body), /Đạt 8\/9 tiêu chí/, 'fixing the description and documenting resources counts at once');

  const page = await app.inject({ method: 'GET', url: `/dataset/${dataset.slug}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /class="badge badge--published"[^>]*>Chất lượng 89%</);
  assert.match(page.body, /aria-label="3 trên 5 sao mức độ mở"/);
});

test("an officer cannot read another agency's quality page", async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const { dataset } = await buildDataset(db, storage, {});
  const officer = new Agent(app);
  await officer.signIn((await buildUser(db, { role: 'officer' })).email, testPassword);
  assert.equal((await officer.get(`/admin/quality/${dataset.id}`)).statusCode, 403);
  assert.doesNotMatch(pageText((await officer.get('/admin/quality')).body), new RegExp(dataset.slug));
});

test("the link check never requests an address on the portal's own network", async (t) => {
  const { db, storage } = await buildTestApp(t);
  let requests = 0;
  const server = createServer((_request, response) => {
    requests++;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  await buildDataset(db, storage, {
    links: [
      { name: 'Máy chủ nội bộ', url: `http://127.0.0.1:${port}/admin` },
      { name: 'Tên máy nội bộ', url: `http://localhost:${port}/metrics` },
      { name: 'Siêu dữ liệu đám mây', url: 'http://169.254.169.254/latest/meta-data/' },
      { name: 'IPv6', url: `http://[::1]:${port}/` },
    ],
  });
  assert.deepEqual(await checkPublishedLinks(db), { checked: 4, broken: 4 });
  assert.equal(requests, 0);
});
