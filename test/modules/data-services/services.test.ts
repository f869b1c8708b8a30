import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Parser } from 'n3';
import { buildOffice, createDraftThroughForm, uploadFile } from '../datasets/publishing-helpers.ts';
import { callAction } from '../ckan-api/ckan-helpers.ts';

const DCAT = 'http://www.w3.org/ns/dcat#';

test('a link marked as a data service carries its endpoint, documentation and access conditions to /services, DCAT and the Action API once published', async (t) => {
  const office = await buildOffice(t);
  const { officer, leader, app, topic } = office;
  const { datasetId } = await createDraftThroughForm(officer, topic.id, { slug: 'tra-cuu-truong' });
  const upload = await uploadFile(officer, app, datasetId, { fileName: 'truong.csv', content: 'ten,huyen\nTHPT Quốc Học,Quy Nhơn\n' });
  assert.equal(upload.statusCode, 302);
  const link = await officer.post(`/admin/datasets/${datasetId}/links`, {
    name: 'API tra cứu trường học',
    url: 'https://api.example.gov.vn/truong',
    format: 'API',
    description: 'Tra cứu trường theo huyện',
    isService: 'on',
    docsUrl: 'https://api.example.gov.vn/docs',
    accessConditions: 'Đăng ký tài khoản; tối đa 1000 lượt gọi mỗi ngày',
  });
  assert.equal(link.statusCode, 302, link.body.slice(0, 300));

  // Not public before the leader approves.
  assert.ok(!(await app.inject('/services')).body.includes('API tra cứu trường học'));
  assert.equal((await officer.post(`/admin/datasets/${datasetId}/submit`)).statusCode, 302);
  await leader.get(`/admin/datasets/${datasetId}/review`);
  assert.equal((await leader.post(`/admin/datasets/${datasetId}/approve`, { comment: '', piiConfirmed: 'on' })).statusCode, 302);

  const page = await app.inject('/services');
  assert.equal(page.statusCode, 200);
  for (const text of ['API tra cứu trường học', 'https://api.example.gov.vn/truong', 'https://api.example.gov.vn/docs', 'tối đa 1000 lượt gọi mỗi ngày']) {
    assert.ok(page.body.includes(text), text);
  }

  const quads = new Parser().parse((await app.inject('/catalog.ttl')).body);
  const service = quads.find((quad) => quad.predicate.value.endsWith('#type') && quad.object.value === `${DCAT}DataService`)?.subject.value;
  assert.ok(service, 'a dcat:DataService is in the catalogue');
  const about = (predicate: string) => quads.filter((quad) => quad.subject.value === service && quad.predicate.value === predicate).map((quad) => quad.object.value);
  assert.deepEqual(about(`${DCAT}endpointURL`), ['https://api.example.gov.vn/truong']);
  assert.deepEqual(about(`${DCAT}endpointDescription`), ['https://api.example.gov.vn/docs']);
  assert.match(about(`${DCAT}servesDataset`)[0], /\/dataset\/tra-cuu-truong$/);
  assert.ok(quads.some((quad) => quad.predicate.value === `${DCAT}service` && quad.object.value === service));

  const dataset = (await callAction(app, 'package_show', { id: 'tra-cuu-truong' })).body.result;
  const api = dataset.resources.find((resource: { resource_type: string | null }) => resource.resource_type === 'api');
  assert.equal(api.url, 'https://api.example.gov.vn/truong');
  assert.equal(api.docs_url, 'https://api.example.gov.vn/docs');
  assert.equal(dataset.resources.filter((resource: { resource_type: string | null }) => resource.resource_type === 'api').length, 1, 'the CSV is not a service');
});

test('a data service documentation link must be a web address', async (t) => {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  const response = await office.officer.post(`/admin/datasets/${datasetId}/links`, {
    name: 'API',
    url: 'https://api.example.gov.vn/x',
    isService: 'on',
    docsUrl: 'javascript:alert(1)',
  });
  assert.equal(response.statusCode, 422);
});
