import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { actorOf } from '../../../src/modules/accounts/accounts.service.ts';
import { apiTokens } from '../../../src/modules/api-tokens/api-tokens.table.ts';
import { createApiToken, revokeToken } from '../../../src/modules/api-tokens/api-tokens.service.ts';
import { auditLog } from '../../../src/modules/audit/audit.table.ts';
import { datasetRevisions, datasets } from '../../../src/modules/datasets/datasets.table.ts';
import { resources } from '../../../src/modules/resources/resources.table.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset, buildTopic, buildUser, testPassword } from '../../helpers/factories.ts';
import { filesOnDisk } from '../datasets/publishing-helpers.ts';
import { callAction } from './ckan-helpers.ts';

async function agencyDesk(t: Parameters<typeof buildTestApp>[0], env: Record<string, string> = {}) {
  const testApp = await buildTestApp(t, env);
  const { db, storage } = testApp;
  const agency = await buildAgency(db, { slug: 'so-giao-duc' });
  const other = await buildAgency(db, { slug: 'so-y-te' });
  const topic = await buildTopic(db, { slug: 'giao-duc' });
  const officer = await buildUser(db, { role: 'officer', agency });
  const otherOfficer = await buildUser(db, { role: 'officer', agency: other });
  const token = (await createApiToken(db, actorOf(officer, null), { name: 'Phần mềm quản lý trường học', expiresOn: null })).token;
  const otherToken = (await createApiToken(db, actorOf(otherOfficer, null), { name: 'Hệ thống Sở Y tế', expiresOn: null })).token;
  const published = await buildDataset(db, storage, { agency, topic, slug: 'truong-hoc', revision: { title: 'Danh sách trường học' } });
  const othersDataset = await buildDataset(db, storage, { agency: other, topic, slug: 'benh-vien', revision: { title: 'Danh sách bệnh viện' } });
  return { ...testApp, agency, other, topic, officer, token, otherToken, published, othersDataset };
}

const newDataset = {
  name: 'diem-thi-thpt',
  title: 'Điểm thi tốt nghiệp THPT',
  notes: 'Điểm thi tốt nghiệp trung học phổ thông theo trường, công bố hằng năm.',
  groups: [{ name: 'giao-duc' }],
  tags: [{ name: 'giáo dục' }, { name: 'thi cử' }],
  extras: [{ key: 'frequency', value: 'yearly' }],
};

test('an officer creates a named token in the back office; it is shown once, stored hashed, listed and audited', async (t) => {
  const { app, db } = await buildTestApp(t);
  const officer = await buildUser(db, { role: 'officer' });
  const agent = new Agent(app);
  await agent.signIn(officer.email, testPassword);
  await agent.get('/admin/api-tokens');
  const created = await agent.post('/admin/api-tokens', { name: 'Hệ thống hộ tịch', expiresOn: '2099-12-31' });
  assert.equal(created.statusCode, 200);
  const token = /<code class="token-value" id="new-token">([^<]+)<\/code>/.exec(created.body)?.[1];
  assert.ok(token?.startsWith('odp_'));
  if (!token) return;
  const [row] = await db.select().from(apiTokens);
  assert.equal(row.name, 'Hệ thống hộ tịch');
  assert.notEqual(row.tokenHash, token);
  assert.ok(!JSON.stringify(row).includes(token), 'the token itself is not stored');
  const list = await agent.get('/admin/api-tokens');
  assert.ok(list.body.includes('Hệ thống hộ tịch'));
  assert.ok(!list.body.includes(token), 'the list never shows the token again');
  const audited = await db.select().from(auditLog).where(eq(auditLog.action, 'api_token.create'));
  assert.equal(audited.length, 1);
  const pastExpiry = await agent.post('/admin/api-tokens', { name: 'Hết hạn', expiresOn: '2001-01-01' });
  assert.equal(pastExpiry.statusCode, 422);
  const leader = await buildUser(db, { role: 'leader' });
  const leaderAgent = new Agent(app);
  await leaderAgent.signIn(leader.email, testPassword);
  assert.equal((await leaderAgent.get('/admin/api-tokens')).statusCode, 403);
});

test('a token is accepted as Authorization, Authorization: Bearer and X-CKAN-API-Key', async (t) => {
  const { app, token } = await agencyDesk(t);
  const forms: Array<Record<string, string>> = [{ authorization: token }, { authorization: `Bearer ${token}` }, { 'x-ckan-api-key': token }];
  for (const [index, headers] of forms.entries()) {
    const { status, body } = await callAction(app, 'package_create', { ...newDataset, name: `diem-thi-${index}` }, { headers });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.result.state, 'draft');
  }
});

test('an unknown, revoked or expired token is refused with an Authorization Error', async (t) => {
  const { app, db, token, officer } = await agencyDesk(t);
  const unknown = await callAction(app, 'package_list', {}, { token: 'odp_not-a-real-token' });
  assert.equal(unknown.status, 403);
  assert.equal(unknown.body.error.__type, 'Authorization Error');
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.userId, officer.id));
  await revokeToken(db, actorOf(officer, null), row.id);
  assert.equal((await callAction(app, 'package_list', {}, { token })).status, 403);
  const expiring = await createApiToken(db, actorOf(officer, null), { name: 'Sắp hết hạn', expiresOn: null });
  await db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, expiring.row.id));
  assert.equal((await callAction(app, 'package_list', {}, { token: expiring.token })).status, 403);
});

test('writing without a token is an Authorization Error, and a write action answers POST only', async (t) => {
  const { app } = await agencyDesk(t);
  const anonymous = await callAction(app, 'package_create', newDataset);
  assert.equal(anonymous.status, 403);
  assert.equal(anonymous.body.error.__type, 'Authorization Error');
  const viaGet = await callAction(app, 'package_create', { name: 'x' }, { method: 'GET' });
  assert.equal(viaGet.status, 400);
});

test('package_create makes a draft of the token owner agency that the public cannot see: the API never publishes', async (t) => {
  const { app, db, token, agency } = await agencyDesk(t);
  const { status, body } = await callAction(app, 'package_create', newDataset, { token });
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.result.name, 'diem-thi-thpt');
  assert.equal(body.result.state, 'draft');
  assert.equal(body.result.owner_org, agency.id);
  assert.deepEqual(body.result.tags.map((tag: { name: string }) => tag.name), ['giáo dục', 'thi cử']);
  const [dataset] = await db.select().from(datasets).where(eq(datasets.slug, 'diem-thi-thpt'));
  assert.equal(dataset.publishedRevisionId, null);
  const revisions = await db.select().from(datasetRevisions).where(eq(datasetRevisions.datasetId, dataset.id));
  assert.deepEqual(revisions.map((revision) => revision.state), ['draft']);
  assert.equal((await callAction(app, 'package_show', { id: 'diem-thi-thpt' })).status, 404);
  assert.equal((await callAction(app, 'package_search', { fq: 'name:diem-thi-thpt' })).body.result.count, 0);
  const own = await callAction(app, 'package_show', { id: 'diem-thi-thpt' }, { token });
  assert.equal(own.body.result.state, 'draft');
});

test('package_create checks fields like the form and names them as CKAN does', async (t) => {
  const { app, token } = await agencyDesk(t);
  const { status, body } = await callAction(app, 'package_create', { name: 'Bad Name!', title: 'x', groups: [{ name: 'khong-co' }] }, { token });
  assert.equal(status, 409);
  assert.equal(body.error.__type, 'Validation Error');
  for (const field of ['name', 'title', 'notes', 'groups']) assert.ok(Array.isArray(body.error[field]), field);
});

test('a token of agency A cannot create for, update, patch or add files to agency B, and nothing changes', async (t) => {
  const { app, db, token, other, othersDataset } = await agencyDesk(t);
  const createForOther = await callAction(app, 'package_create', { ...newDataset, owner_org: other.slug }, { token });
  assert.equal(createForOther.status, 403);
  assert.equal(createForOther.body.error.__type, 'Authorization Error');
  for (const [action, params] of [
    ['package_update', { id: othersDataset.dataset.id, ...newDataset, name: undefined }],
    ['package_patch', { id: 'benh-vien', title: 'Đã bị sửa bởi cơ quan khác' }],
    ['resource_create', { package_id: 'benh-vien', name: 'API lạ', url: 'https://example.com/x' }],
    ['resource_delete', { id: othersDataset.resources[0]?.lineageId ?? '00000000-0000-4000-8000-000000000000' }],
  ] as const) {
    const { status } = await callAction(app, action, params, { token, method: 'POST' });
    assert.ok(status === 403 || status === 404, `${action} → ${status}`);
  }
  const revisions = await db.select().from(datasetRevisions).where(eq(datasetRevisions.datasetId, othersDataset.dataset.id));
  assert.equal(revisions.length, 1, 'no draft was started in agency B');
  assert.equal((await db.select().from(datasets).where(eq(datasets.slug, 'diem-thi-thpt'))).length, 0);
});

test('package_patch of a published dataset edits a new draft; the public keeps the approved version until the leader approves', async (t) => {
  const { app, db, token, published } = await agencyDesk(t);
  const patched = await callAction(app, 'package_patch', { id: 'truong-hoc', title: 'Danh sách trường học (bản mới)' }, { token, method: 'POST' });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.result.title, 'Danh sách trường học (bản mới)');
  assert.equal(patched.body.result.state, 'draft');
  assert.equal(patched.body.result.notes, published.revision.description, 'a patch keeps the fields it does not name');
  const publicView = await callAction(app, 'package_show', { id: 'truong-hoc' });
  assert.equal(publicView.body.result.title, 'Danh sách trường học');
  const [dataset] = await db.select().from(datasets).where(eq(datasets.id, published.dataset.id));
  assert.equal(dataset.publishedRevisionId, published.revision.id);
  const states = (await db.select().from(datasetRevisions).where(eq(datasetRevisions.datasetId, published.dataset.id))).map((revision) => revision.state).sort();
  assert.deepEqual(states, ['draft', 'published']);
});

test('resource_create takes a multipart file through the upload checks and personal-data scan into the draft', async (t) => {
  const { app, db, token } = await agencyDesk(t);
  await callAction(app, 'package_create', newDataset, { token });
  const boundary = '----ckan-client';
  const csv = 'Họ và tên,Số CCCD,Điểm\nNguyễn Văn A,079123456789,8.5\nTrần Thị B,079987654321,9.0\n';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="package_id"\r\n\r\ndiem-thi-thpt\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nĐiểm thi 2026\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="diem-thi.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const response = await app.inject({
    method: 'POST',
    url: '/api/3/action/resource_create',
    payload: body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: token },
  });
  assert.equal(response.statusCode, 200, response.body);
  const resource = response.json().result;
  assert.equal(resource.name, 'Điểm thi 2026');
  assert.equal(resource.format, 'CSV');
  assert.equal(resource.url_type, 'upload');
  const [row] = await db.select().from(resources).where(eq(resources.lineageId, resource.id));
  assert.ok(row.piiFlags.length > 0, 'the personal-data scan flagged the citizen id column');
  assert.ok(row.inspection?.columns.length === 3);
  const [revision] = await db.select().from(datasetRevisions).where(eq(datasetRevisions.id, row.revisionId));
  assert.equal(revision.state, 'draft');
});

test('a multipart file over the size limit is a CKAN validation error and leaves nothing stored', async (t) => {
  const { app, db, token, dataDir } = await agencyDesk(t, { UPLOAD_MAX_MB: '1' });
  await callAction(app, 'package_create', newDataset, { token });
  const before = await filesOnDisk(dataDir);
  const boundary = '----ckan-client';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="package_id"\r\n\r\ndiem-thi-thpt\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="lon.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(`a,b\n${'1,2\n'.repeat(300_000)}`),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const response = await app.inject({
    method: 'POST',
    url: '/api/3/action/resource_create',
    payload: body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: token },
  });
  assert.equal(response.statusCode, 409, response.body);
  assert.equal(response.json().error.__type, 'Validation Error');
  assert.ok(Array.isArray(response.json().error.upload));
  assert.equal((await db.select().from(resources)).filter((row) => row.name.startsWith('lon')).length, 0);
  assert.deepEqual(await filesOnDisk(dataDir), before);
});

test('resource_create with a url adds a link; resource_patch renames it and resource_delete removes it, all in the draft', async (t) => {
  const { app, db, token, published } = await agencyDesk(t);
  const created = await callAction(app, 'resource_create', { package_id: 'truong-hoc', name: 'API trường học', url: 'https://api.example.gov.vn/truong', format: 'api' }, { token, method: 'POST' });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assert.equal(created.body.result.url, 'https://api.example.gov.vn/truong');
  assert.equal(created.body.result.url_type, null);
  const patched = await callAction(app, 'resource_patch', { id: created.body.result.id, name: 'API danh sách trường' }, { token, method: 'POST' });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.result.name, 'API danh sách trường');
  assert.equal(patched.body.result.id, created.body.result.id, 'the API id of a resource stays the same');
  const badUrl = await callAction(app, 'resource_patch', { id: created.body.result.id, url: 'javascript:alert(1)' }, { token, method: 'POST' });
  assert.equal(badUrl.status, 409);
  const deleted = await callAction(app, 'resource_delete', { id: created.body.result.id }, { token, method: 'POST' });
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  const publicView = await callAction(app, 'package_show', { id: 'truong-hoc' });
  assert.equal(publicView.body.result.num_resources, published.resources.length, 'the public version is unchanged');
  const own = await callAction(app, 'package_show', { id: 'truong-hoc' }, { token });
  assert.equal(own.body.result.resources.length, 0);
  const states = (await db.select().from(datasetRevisions).where(eq(datasetRevisions.datasetId, published.dataset.id))).map((revision) => revision.state).sort();
  assert.deepEqual(states, ['draft', 'published']);
});

test('calls are rate limited per token: each token has its own allowance, larger than an anonymous address', async (t) => {
  const { app, token, otherToken } = await agencyDesk(t);
  const call = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/api/3/action/package_list', headers });
  const first = await call({ authorization: token });
  const second = await call({ authorization: `Bearer ${token}` });
  const other = await call({ 'x-ckan-api-key': otherToken });
  const anonymous = await call({});
  assert.equal(Number(second.headers['x-ratelimit-remaining']), Number(first.headers['x-ratelimit-remaining']) - 1, 'both header forms count against one token');
  assert.equal(other.headers['x-ratelimit-remaining'], first.headers['x-ratelimit-remaining'], 'another token starts its own count');
  assert.ok(Number(first.headers['x-ratelimit-limit']) > Number(anonymous.headers['x-ratelimit-limit']));
});

test('token pages: anonymous visitors are sent to sign in, leaders are refused, DOIT sees every token, and an officer cannot revoke another officer token', async (t) => {
  const { app, db, officer } = await agencyDesk(t);
  const anonymous = await app.inject('/admin/api-tokens');
  assert.equal(anonymous.statusCode, 302);
  assert.match(String(anonymous.headers.location), /^\/login/);
  const anonymousPost = await app.inject({ method: 'POST', url: '/admin/api-tokens', payload: 'name=abc', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.ok(anonymousPost.statusCode >= 400);

  const signedIn = async (role: 'officer' | 'leader' | 'admin') => {
    const user = await buildUser(db, { role });
    const agent = new Agent(app);
    await agent.signIn(user.email, testPassword);
    return agent;
  };
  const leader = await signedIn('leader');
  assert.equal((await leader.get('/admin/api-tokens')).statusCode, 403);
  assert.equal((await leader.post('/admin/api-tokens', { name: 'Của lãnh đạo' })).statusCode, 403);

  const admin = await signedIn('admin');
  const list = await admin.get('/admin/api-tokens');
  assert.equal(list.statusCode, 200);
  assert.ok(list.body.includes('Phần mềm quản lý trường học') && list.body.includes('Hệ thống Sở Y tế'), 'DOIT sees every agency token');

  const [own] = await db.select().from(apiTokens).where(eq(apiTokens.userId, officer.id));
  const stranger = await signedIn('officer');
  await stranger.get('/admin/api-tokens');
  assert.equal((await stranger.post(`/admin/api-tokens/${own.id}/revoke`)).statusCode, 404);
  assert.equal((await db.select().from(apiTokens).where(eq(apiTokens.id, own.id)))[0].revokedAt, null);
  assert.equal((await admin.post(`/admin/api-tokens/${own.id}/revoke`)).statusCode, 302);
  assert.ok((await db.select().from(apiTokens).where(eq(apiTokens.id, own.id)))[0].revokedAt);
  assert.equal((await db.select().from(auditLog).where(eq(auditLog.action, 'api_token.revoke'))).length, 1);
});
