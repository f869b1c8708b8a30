import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset, buildTopic } from '../../helpers/factories.ts';
import { callAction, naiveUtcMicroseconds } from './ckan-helpers.ts';

async function catalogue(t: Parameters<typeof buildTestApp>[0]) {
  const testApp = await buildTestApp(t);
  const { db, storage } = testApp;
  const health = await buildAgency(db, { slug: 'so-y-te', name: 'Sở Y tế' });
  const education = await buildAgency(db, { slug: 'so-giao-duc', name: 'Sở Giáo dục và Đào tạo' });
  const schools = await buildTopic(db, { slug: 'giao-duc', nameVi: 'Giáo dục', nameEn: 'Education' });
  const hospitals = await buildTopic(db, { slug: 'y-te', nameVi: 'Y tế', nameEn: 'Health' });
  const clinics = await buildDataset(db, storage, {
    agency: health,
    topic: hospitals,
    slug: 'co-so-kham-benh',
    revision: { title: 'Cơ sở khám bệnh', description: 'Danh sách bệnh viện và trạm y tế', tags: ['y tế', 'bệnh viện'], updateFrequency: 'quarterly' },
    files: [{ fileName: 'co-so.csv', content: 'ten,huyen\nBệnh viện tỉnh,Quy Nhơn\n' }],
  });
  const schoolList = await buildDataset(db, storage, {
    agency: education,
    topic: schools,
    slug: 'truong-hoc',
    revision: { title: 'Danh sách trường học', description: 'Các trường THPT', tags: ['giáo dục'] },
    links: [{ name: 'API trường học', url: 'https://api.example.gov.vn/truong', format: 'API' }],
  });
  const draft = await buildDataset(db, storage, { agency: health, topic: hospitals, slug: 'ban-nhap', published: false, revision: { title: 'Bản nháp bí mật' } });
  return { ...testApp, health, education, schools, hospitals, clinics, schoolList, draft };
}

test('the three action paths answer CKAN envelopes with help, success and result', async (t) => {
  const { app } = await catalogue(t);
  for (const version of [3, 2, null] as const) {
    const { status, body } = await callAction(app, 'package_list', {}, { version });
    assert.equal(status, 200);
    assert.equal(body.success, true);
    assert.match(body.help, /\/api\/3\/action\/help_show\?name=package_list$/);
    assert.deepEqual(body.result, ['co-so-kham-benh', 'truong-hoc']);
  }
  const { body } = await callAction(app, 'package_list');
  const help = await app.inject(body.help.replace(/^https?:\/\/[^/]+/, ''));
  assert.equal(help.statusCode, 200, 'the help address answers');
  assert.match(help.json().result, /package_list/);
});

test('package_show by id or name carries CKAN dataset fields with their types, and never a draft', async (t) => {
  const { app, clinics, health, hospitals, draft } = await catalogue(t);
  const byName = await callAction(app, 'package_show', { id: 'co-so-kham-benh' });
  const byId = await callAction(app, 'package_show', { id: clinics.dataset.id });
  assert.deepEqual(byName.body.result, byId.body.result);
  const dataset = byName.body.result;
  assert.equal(dataset.id, clinics.dataset.id);
  assert.equal(dataset.name, 'co-so-kham-benh');
  assert.equal(dataset.title, 'Cơ sở khám bệnh');
  assert.equal(dataset.notes, 'Danh sách bệnh viện và trạm y tế');
  assert.equal(dataset.owner_org, health.id);
  assert.equal(dataset.organization.name, 'so-y-te');
  assert.equal(dataset.organization.title, 'Sở Y tế');
  assert.equal(dataset.organization.is_organization, true);
  assert.deepEqual(
    dataset.groups.map((group: { name: string }) => group.name),
    [hospitals.slug],
  );
  assert.deepEqual(dataset.tags, [
    { id: 'y tế', name: 'y tế', display_name: 'y tế', state: 'active', vocabulary_id: null },
    { id: 'bệnh viện', name: 'bệnh viện', display_name: 'bệnh viện', state: 'active', vocabulary_id: null },
  ]);
  assert.equal(dataset.num_tags, 2);
  assert.equal(dataset.num_resources, 1);
  assert.equal(dataset.type, 'dataset');
  assert.equal(dataset.state, 'active');
  assert.equal(dataset.private, false);
  assert.equal(typeof dataset.license_id, 'string');
  assert.equal(typeof dataset.license_title, 'string');
  assert.match(dataset.metadata_created, naiveUtcMicroseconds);
  assert.match(dataset.metadata_modified, naiveUtcMicroseconds);
  assert.deepEqual(
    dataset.extras.find((extra: { key: string }) => extra.key === 'frequency'),
    { key: 'frequency', value: 'quarterly' },
  );
  const [resource] = dataset.resources;
  for (const field of ['id', 'package_id', 'url', 'name', 'description', 'format', 'mimetype', 'size', 'hash', 'created', 'last_modified', 'datastore_active', 'url_type']) {
    assert.ok(field in resource, `resource.${field}`);
  }
  assert.equal(resource.package_id, clinics.dataset.id);
  assert.equal(resource.id, clinics.resources[0].lineageId);
  assert.equal(resource.url_type, 'upload');
  assert.equal(resource.format, 'CSV');
  assert.equal(typeof resource.size, 'number');
  assert.equal(resource.datastore_active, false);
  assert.match(resource.created, naiveUtcMicroseconds);
  assert.match(resource.url, /^http:\/\/.+\/dataset\/co-so-kham-benh\/resource\/.+\/download\/co-so\.csv$/);

  const hidden = await callAction(app, 'package_show', { id: draft.dataset.id });
  assert.equal(hidden.status, 404);
  assert.equal(hidden.body.success, false);
  assert.equal(hidden.body.error.__type, 'Not Found Error');
});

test('a missing id is a validation error naming the field', async (t) => {
  const { app } = await catalogue(t);
  const { status, body } = await callAction(app, 'package_show');
  assert.equal(status, 409);
  assert.equal(body.error.__type, 'Validation Error');
  assert.ok(Array.isArray(body.error.id));
});

test('an unknown action is a 400 with a sentence, and a JSON body that is not an object is a 400', async (t) => {
  const { app } = await catalogue(t);
  const unknown = await callAction(app, 'package_explode');
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.success, false);
  assert.match(unknown.body.error.message, /package_explode/);
  const list = await app.inject({ method: 'POST', url: '/api/3/action/package_search', payload: '[1,2]', headers: { 'content-type': 'application/json' } });
  assert.equal(list.statusCode, 400);
  assert.equal(list.json().success, false);
  const broken = await app.inject({ method: 'POST', url: '/api/3/action/package_search', payload: '{"q": ', headers: { 'content-type': 'application/json' } });
  assert.equal(broken.statusCode, 400);
  assert.equal(broken.json().error.__type, 'Bad request');
});

test('POST with a form body reads the same parameters as GET', async (t) => {
  const { app } = await catalogue(t);
  const response = await app.inject({
    method: 'POST',
    url: '/api/3/action/package_show',
    payload: 'id=truong-hoc',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(response.statusCode, 200);
  assert.equal(response.json().result.name, 'truong-hoc');
});

test('package_search filters with fq, negation, quoted values, OR and a modified range, and counts facets', async (t) => {
  const { app } = await catalogue(t);
  const search = async (params: Record<string, unknown>) => (await callAction(app, 'package_search', params)).body.result;
  assert.equal((await search({})).count, 2);
  assert.deepEqual((await search({ fq: 'organization:so-y-te' })).results.map((d: { name: string }) => d.name), ['co-so-kham-benh']);
  assert.deepEqual((await search({ fq: '-organization:so-y-te' })).results.map((d: { name: string }) => d.name), ['truong-hoc']);
  assert.deepEqual((await search({ fq: 'tags:"bệnh viện"' })).results.map((d: { name: string }) => d.name), ['co-so-kham-benh']);
  assert.equal((await search({ fq: 'organization:so-y-te OR organization:so-giao-duc' })).count, 2);
  assert.equal((await search({ fq: 'res_format:API' })).count, 1);
  assert.equal((await search({ fq: 'metadata_modified:[2000-01-01T00:00:00 TO *]' })).count, 2);
  assert.equal((await search({ fq: 'metadata_modified:[NOW+1DAY TO *]' })).count, 0);
  assert.deepEqual((await search({ q: 'benh vien' })).results.map((d: { name: string }) => d.name), ['co-so-kham-benh']);
  assert.equal((await search({ q: 'name:truong-hoc' })).count, 1);

  const faceted = await search({ 'facet.field': '["organization","tags","res_format"]', 'facet.limit': 1, rows: 0 });
  assert.deepEqual(faceted.results, []);
  assert.equal(Object.keys(faceted.facets.organization).length, 1);
  assert.equal(faceted.search_facets.organization.items.length, 1);
  assert.deepEqual(Object.keys(faceted.search_facets.organization.items[0]).sort(), ['count', 'display_name', 'name']);
  const all = await search({ 'facet.field': '["res_format"]' });
  assert.deepEqual(all.facets.res_format, { API: 1, CSV: 1 });
});

test('package_search refuses a malformed fq or sort, rows over 1000 and an unknown facet with a sentence', async (t) => {
  const { app } = await catalogue(t);
  for (const params of [{ fq: 'tags:"open' }, { fq: 'secret:1' }, { sort: 'password asc' }, { rows: 1001 }, { rows: -1 }, { 'facet.field': '["password"]' }, { 'facet.field': '["x"' }]) {
    const { status, body } = await callAction(app, 'package_search', params);
    assert.equal(status, 409, JSON.stringify(params));
    assert.equal(body.error.__type, 'Validation Error');
    assert.ok(body.error.message.length > 10);
  }
});

test('organization_list, group_list and their show actions describe agencies and topic groups', async (t) => {
  const { app, health } = await catalogue(t);
  assert.deepEqual((await callAction(app, 'organization_list')).body.result, ['so-giao-duc', 'so-y-te']);
  const full = (await callAction(app, 'organization_list', { all_fields: true })).body.result;
  const healthDict = full.find((org: { name: string }) => org.name === 'so-y-te');
  assert.equal(healthDict.id, health.id);
  assert.equal(healthDict.title, 'Sở Y tế');
  assert.equal(healthDict.package_count, 1);
  assert.equal(healthDict.type, 'organization');
  const shown = (await callAction(app, 'organization_show', { id: 'so-y-te', include_datasets: true })).body.result;
  assert.deepEqual(shown.packages.map((d: { name: string }) => d.name), ['co-so-kham-benh']);
  assert.deepEqual((await callAction(app, 'group_list')).body.result.sort(), ['giao-duc', 'y-te']);
  const group = (await callAction(app, 'group_show', { id: 'y-te' })).body.result;
  assert.equal(group.package_count, 1);
  assert.equal(group.is_organization, false);
  assert.equal((await callAction(app, 'organization_show', { id: 'khong-co' })).status, 404);
});

test('tag_list, license_list, status_show, resource_show and current_package_list_with_resources answer public content only', async (t) => {
  const { app, clinics } = await catalogue(t);
  assert.deepEqual((await callAction(app, 'tag_list')).body.result, ['bệnh viện', 'giáo dục', 'y tế']);
  const licences = (await callAction(app, 'license_list')).body.result;
  assert.ok(licences.length >= 1 && licences.every((licence: { id: string; title: string }) => licence.id && licence.title));
  const status = (await callAction(app, 'status_show')).body.result;
  assert.equal(typeof status.ckan_version, 'string');
  assert.ok(Array.isArray(status.extensions));
  const resource = (await callAction(app, 'resource_show', { id: clinics.resources[0].lineageId })).body.result;
  assert.equal(resource.name, clinics.resources[0].name);
  const current = (await callAction(app, 'current_package_list_with_resources', { limit: 10 })).body.result;
  assert.equal(current.length, 2);
  assert.ok(current.every((dataset: { resources: unknown[] }) => Array.isArray(dataset.resources)));
});
