import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { translator } from '../../../src/i18n/i18n.ts';
import { CkanActionError } from '../../../src/modules/ckan-api/ckan-actions.ts';
import { datastoreActiveOf, requestDatastoreLoads } from '../../../src/modules/datastore/datastore.service.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildUser, testPassword } from '../../helpers/factories.ts';
import { eventually, publishCsv, publishReplacement, tableState } from './datastore-helpers.ts';

const content = 'Mã xã;Tên xã;Dân số;Ngày cập nhật\n1;Nhơn Lý;12.500;01/01/2024\n2;Nhơn Hải;8.200;01/01/2024\n3;Cát Tiến;15.750;02/01/2024\n';

/** The request an action handler receives, as the CKAN dispatcher would pass it. */
// biome-ignore lint/suspicious/noExplicitAny: action results are read as JSON, as a client would
type Answer = Record<string, any>;

const actionRequest = (locale: 'vi' | 'en' = 'en') => ({ t: translator(locale), protocol: 'http', host: 'portal.test' }) as unknown as FastifyRequest;

test('datastore_search answers like CKAN: filters as JSON, q, sort, fields, limit=0 for the fields only', async (t) => {
  const test = await buildTestApp(t);
  const { resource } = await publishCsv(test, content);
  await test.app.datastoreLoader.load(resource.lineageId);
  const search = test.app.ckanActions.get('datastore_search');
  assert.ok(search);
  const result = (await search.handler({ request: actionRequest(), params: { resource_id: resource.id, filters: '{"ten_xa": ["Nhơn Lý", "Cát Tiến"]}', sort: 'dan_so desc', fields: 'ten_xa,dan_so' } })) as Answer;
  assert.equal(result.total, 2);
  assert.deepEqual(result.records, [
    { ten_xa: 'Cát Tiến', dan_so: 15750 },
    { ten_xa: 'Nhơn Lý', dan_so: 12500 },
  ]);
  assert.deepEqual(result.fields, [
    { id: 'ten_xa', type: 'text', info: { label: 'Tên xã' } },
    { id: 'dan_so', type: 'numeric', info: { label: 'Dân số' } },
  ]);
  const fieldsOnly = (await search.handler({ request: actionRequest(), params: { resource_id: resource.id, limit: 0 } })) as Answer;
  assert.deepEqual(fieldsOnly.records, []);
  assert.equal(fieldsOnly.total, 3);
  assert.deepEqual(fieldsOnly.fields.map((field: { id: string }) => field.id), ['_id', 'ma_xa', 'ten_xa', 'dan_so', 'ngay_cap_nhat']);
  const searched = (await search.handler({ request: actionRequest(), params: { resource_id: resource.id, q: 'cat tien' } })) as Answer;
  assert.deepEqual(searched.records.map((record: { ma_xa: number }) => record.ma_xa), [3]);

  const info = test.app.ckanActions.get('datastore_info');
  const described = (await info?.handler({ request: actionRequest(), params: { id: resource.id } })) as Answer;
  assert.equal(described.meta.count, 3);
  assert.deepEqual(described.fields.map((field: { id: string; type: string }) => `${field.id}:${field.type}`), ['ma_xa:int', 'ten_xa:text', 'dan_so:numeric', 'ngay_cap_nhat:date']);
});

test("datastore actions refuse in CKAN's error shapes: validation for a bad parameter, not found for a missing table", async (t) => {
  const test = await buildTestApp(t);
  const { resource } = await publishCsv(test, content);
  await test.app.datastoreLoader.load(resource.lineageId);
  const search = test.app.ckanActions.get('datastore_search');
  const refusal = async (params: Record<string, unknown>) => {
    const error = await search?.handler({ request: actionRequest(), params }).then(
      () => assert.fail('accepted'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof CkanActionError, String(error));
    return error;
  };
  const badJson = await refusal({ resource_id: resource.id, filters: '{nope' });
  assert.equal(badJson.statusCode, 409);
  assert.equal(badJson.toErrorBody().__type, 'Validation Error');
  assert.ok(Array.isArray(badJson.toErrorBody().filters));
  assert.equal((await refusal({ resource_id: resource.id, sort: 'khong_co' })).toErrorBody().__type, 'Validation Error');
  assert.equal((await refusal({ resource_id: resource.id, limit: 40_000 })).statusCode, 409);
  assert.equal((await refusal({})).toErrorBody().__type, 'Validation Error');
  assert.equal((await refusal({ resource_id: '00000000-0000-4000-8000-000000000000' })).toErrorBody().__type, 'Not Found Error');
  const { resource: unloaded } = await publishCsv(test, 'a\n1\n');
  assert.equal((await refusal({ resource_id: unloaded.id })).statusCode, 404);
});

test('datastore_active is true for the resources of a lineage that has a live table', async (t) => {
  const test = await buildTestApp(t);
  const published = await publishCsv(test, content);
  const { resource: other } = await publishCsv(test, 'a\n1\n');
  assert.deepEqual(await datastoreActiveOf(test.db, [published.resource, other]), new Set());
  await test.app.datastoreLoader.load(published.resource.lineageId);
  const replacement = await publishReplacement(test, published, 'Mã xã;Tên xã\n9;Mới\n');
  assert.deepEqual(await datastoreActiveOf(test.db, [published.resource, replacement, other]), new Set([published.resource.id, replacement.id]));
});

test("CKAN's package_show and resource_show say datastore_active for a loaded file only", async (t) => {
  const test = await buildTestApp(t);
  const loaded = await publishCsv(test, content);
  const other = await publishCsv(test, 'a\n1\n');
  await test.app.datastoreLoader.load(loaded.resource.lineageId);
  const show = async (action: string, id: string) =>
    (await test.app.inject({ method: 'GET', url: `/api/3/action/${action}?id=${encodeURIComponent(id)}` })).json().result;
  assert.deepEqual((await show('package_show', loaded.dataset.slug)).resources.map((r: { datastore_active: boolean }) => r.datastore_active), [true]);
  assert.deepEqual((await show('package_show', other.dataset.slug)).resources.map((r: { datastore_active: boolean }) => r.datastore_active), [false]);
  assert.equal((await show('resource_show', loaded.resource.lineageId)).datastore_active, true);
});

test('the resource page shows a Data API panel with curl examples for its real columns, in Vietnamese and English', async (t) => {
  const test = await buildTestApp(t);
  const { resource, dataset } = await publishCsv(test, content);
  const url = `/dataset/${dataset.slug}/resource/${resource.id}`;
  const before = await test.app.inject({ method: 'GET', url });
  assert.equal(before.statusCode, 200);
  assert.doesNotMatch(before.body, /data-api-heading/);
  await test.app.datastoreLoader.load(resource.lineageId);
  test.app.pageCache.clear();
  const vi = await test.app.inject({ method: 'GET', url });
  assert.match(vi.body, /<h2 id="data-api-heading">API dữ liệu<\/h2>/);
  assert.match(vi.body, new RegExp(`/api/v1/resources/${resource.id}/records\\?limit=5`));
  assert.match(vi.body, /filter\[ma_xa\]\[gte\]=100&amp;sort=ma_xa%20desc/);
  assert.match(vi.body, /<code>ten_xa<\/code><\/td><td>Tên xã<\/td>/);
  const en = await test.app.inject({ method: 'GET', url: `${url}?lang=en` });
  assert.match(en.body, /<h2 id="data-api-heading">Data API<\/h2>/);
  assert.match(en.body, /Filter on a column&#39;s value|Filter on a column's value/);
});

test("an officer follows the load on the resource's back-office page: progress, then the failing row and why", async (t) => {
  const test = await buildTestApp(t);
  const published = await publishCsv(test, content);
  const officer = await buildUser(test.db, { agency: published.agency });
  const agent = new Agent(test.app);
  await agent.signIn(officer.email, testPassword);
  await test.app.ready();
  await test.db.transaction((tx) => requestDatastoreLoads(tx, [published.resource]));
  const queued = await agent.get(`/admin/datastore/${published.resource.id}`);
  assert.equal(queued.statusCode, 200);
  assert.match(queued.body, /data-state="queued"/);
  assert.match(queued.body, /http-equiv="refresh"/);
  await test.app.jobs.moveOutbox();
  await eventually(async () => (await tableState(test, published.resource.lineageId)).loadState === 'done');
  const done = await agent.get(`/admin/datastore/${published.resource.id}`);
  assert.match(done.body, /data-state="done"/);
  assert.match(done.body, /Bảng đang phục vụ: 3 dòng, 4 cột/);

  const lines = ['Mã xã;Tên xã;Dân số;Ngày cập nhật'];
  for (let i = 1; i <= 30; i++) lines.push(`${i};Xã ${i};${i};${i === 25 ? '30/02/2024' : '01/03/2024'}`);
  const replacement = await publishReplacement(test, published, `${lines.join('\n')}\n`);
  assert.equal(await test.app.datastoreLoader.load(published.resource.lineageId), 'failed');
  const failed = await agent.get(`/admin/datastore/${replacement.id}`);
  assert.match(failed.body, /data-state="failed"/);
  assert.match(failed.body, /Dòng 26 của tệp: Cột “Ngày cập nhật”: “30\/02\/2024” không phải ngày có thật\./);
  assert.match(failed.body, /Bảng đang phục vụ: 3 dòng/);

  // Another agency's officer may not look.
  const stranger = await buildUser(test.db);
  const other = new Agent(test.app);
  await other.signIn(stranger.email, testPassword);
  assert.equal((await other.get(`/admin/datastore/${published.resource.id}`)).statusCode, 403);
  // The officer asks for a reload: queued again, the live table still serving.
  const reload = await agent.post(`/admin/datastore/${replacement.id}/reload`);
  assert.equal(reload.statusCode, 302);
  assert.equal((await tableState(test, published.resource.lineageId)).loadState, 'queued');
});

test("datastore_search answers over HTTP in CKAN's envelope through the Action API", async (t) => {
  const test = await buildTestApp(t);
  const { resource } = await publishCsv(test, content);
  await test.app.datastoreLoader.load(resource.lineageId);
  const ok = await test.app.inject({ method: 'GET', url: `/api/3/action/datastore_search?resource_id=${resource.id}&limit=1&filters=${encodeURIComponent('{"ma_xa": 2}')}` });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().success, true);
  assert.deepEqual(ok.json().result.records, [{ _id: 2, ma_xa: 2, ten_xa: 'Nhơn Hải', dan_so: 8200, ngay_cap_nhat: '2024-01-01' }]);
  const refused = await test.app.inject({ method: 'GET', url: `/api/3/action/datastore_search?resource_id=${resource.id}&filters=%7Bnope` });
  assert.equal(refused.statusCode, 409);
  assert.equal(refused.json().success, false);
  assert.equal(refused.json().error.__type, 'Validation Error');
});
