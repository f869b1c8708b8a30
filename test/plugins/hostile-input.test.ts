import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/app.ts';
import { buildAgency, buildDataset, buildTopic, buildUser, testPassword } from '../helpers/factories.ts';
import { agentFor } from '../modules/accounts/support.ts';

// Issue 10, findings 5, 6 and 10: hostile text in URLs and forms.

const nul = '%00';
const publicUrls = [
  `/dataset?q=a${nul}`,
  `/dataset?topic=a${nul}`,
  `/dataset?agency=a${nul}`,
  `/dataset?format=a${nul}`,
  `/dataset?frequency=a${nul}`,
  `/dataset?tag=a${nul}`,
  `/dataset?licence=a${nul}`,
  `/dataset?page=1${nul}`,
  `/dataset?sort=a${nul}`,
  `/dataset/a${nul}b`,
  `/group/a${nul}b`,
  `/organization/a${nul}b`,
  `/feedback?agency=a${nul}`,
  `/feedback?topic=a${nul}`,
  `/feedback?dataset=a${nul}`,
  `/feedback/new?dataset=a${nul}`,
  `/dataset/a${nul}/resource/b${nul}`,
  `/login?next=/admin${nul}`,
  `/reset-password/a${nul}`,
  `/dataset?q=a%01b`,
  `/dataset?q=a%7Fb`,
];

test('finding 5: a NUL byte in any public parameter of the fuzz list answers 400 with a sentence, never 500', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  await buildDataset(db, storage, { slug: 'co-that' });
  for (const url of publicUrls) {
    const response = await app.inject({ url });
    assert.equal(response.statusCode, 400, url);
    assert.match(response.body, /ký tự điều khiển/, `${url} says why`);
  }
  const json = await app.inject({ url: `/dataset?q=a${nul}`, headers: { accept: 'application/json' } });
  assert.equal(json.json().error, 'control_characters');
});

test('finding 5: a NUL byte in the sign-in e-mail, a back-office field or an audit filter answers 400', async (t) => {
  const testApp = await buildTestApp(t);
  const { app, db } = testApp;
  const visitor = new Agent(app);
  const login = await visitor.post('/login', { email: 'a\u0000@example.gov.vn', password: 'x' });
  assert.equal(login.statusCode, 400);

  const admin = await agentFor(testApp, await buildUser(db, { role: 'admin' }));
  assert.equal((await admin.get(`/admin/audit?action=a${nul}`)).statusCode, 400);
  assert.equal((await admin.get(`/admin/audit?actor=a${nul}`)).statusCode, 400);
  assert.equal((await admin.get(`/admin/datasets?q=a${nul}`)).statusCode, 400);
  const agency = await admin.post('/admin/agencies', { name: 'Sở\u0000 Xây dựng', slug: 'so-xay-dung' });
  assert.equal(agency.statusCode, 400);
  assert.match(agency.body, /ký tự điều khiển/);
});

test('finding 5: line breaks and tabs in a multi-line form field are not control characters to refuse', async (t) => {
  const { app } = await buildTestApp(t);
  const visitor = new Agent(app, '203.0.113.9');
  await visitor.get('/feedback/new');
  const response = await visitor.post('/feedback', { kind: 'other', title: 'Tiêu đề', message: 'Dòng một\r\n\tDòng hai' });
  assert.notEqual(response.statusCode, 400);
});

test('finding 6: a login "next" that is not a plain local path sends the person to /admin, never a 500', async (t) => {
  const { app, db } = await buildTestApp(t);
  const user = await buildUser(db, { role: 'admin' });
  for (const [next, expected] of [
    ['/€', '/admin'],
    ['/dataset/ư', '/admin'],
    ['//evil.example', '/admin'],
    ['/\\evil.example', '/admin'],
    ['https://evil.example', '/admin'],
    ['/admin/feedback?scope=all', '/admin/feedback?scope=all'],
    ['/dataset/%E2%82%AC', '/dataset/%E2%82%AC'],
  ] as const) {
    const agent = new Agent(app);
    const response = await agent.post('/login', { email: user.email, password: testPassword, next });
    assert.equal(response.statusCode, 302, next);
    assert.equal(response.headers.location, expected, next);
  }
});

test('finding 10: a hole marker typed into a search is shown as typed, never filled with the visitor’s CSRF token', async (t) => {
  const { app } = await buildTestApp(t, { PAGE_CACHE_SECONDS: '10' });
  for (const visit of ['miss', 'hit']) {
    const page = await app.inject({ url: '/dataset?q=__pagehole_csrf__' });
    assert.equal(page.headers['x-page-cache'], visit);
    const title = /<title>([^<]*)<\/title>/.exec(page.body)?.[1] ?? '';
    assert.match(title, /__pagehole_csrf__/, `${visit}: the title shows what was typed`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (token) assert.ok(!title.includes(token), `${visit}: the token is not in the title`);
  }
});

test('finding 10: a dataset title with a hole marker is shown as written on cached pages', async (t) => {
  const { app, db, storage } = await buildTestApp(t, { PAGE_CACHE_SECONDS: '10' });
  const topic = await buildTopic(db);
  const agency = await buildAgency(db);
  await buildDataset(db, storage, { slug: 'ma-la', topic, agency, revision: { title: 'Mã __pagehole_csrf__ và __pagehole_feedback-stamp__' } });
  for (const visit of ['miss', 'hit']) {
    const page = await app.inject({ url: '/dataset/ma-la' });
    assert.equal(page.headers['x-page-cache'], visit);
    assert.match(page.body, /<h1[^>]*>Mã __pagehole_csrf__ và __pagehole_feedback-stamp__<\/h1>/, visit);
  }
});
