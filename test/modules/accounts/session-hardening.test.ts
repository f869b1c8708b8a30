import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSession, validateSessionToken } from '../../../src/modules/sessions/sessions.service.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildDataset, buildUser, testPassword } from '../../helpers/factories.ts';
import { createDraftThroughForm, multipartBody } from '../datasets/publishing-helpers.ts';
import { agentFor, rawSetCookie, setCookie } from './support.ts';

// Issue 10, findings 7 and 11 (sessions, cookies, CSRF, caching).

test('finding 7: with SESSION_IDLE_MINUTES=1 a person active every 50 seconds stays signed in', async (t) => {
  const testApp = await buildTestApp(t, { SESSION_IDLE_MINUTES: '1' });
  const user = await buildUser(testApp.db, { role: 'officer' });
  const policy = testApp.app.sessionPolicy;
  const start = Date.now();
  const { token } = await createSession(testApp.db, user.id, policy);
  for (let step = 1; step <= 4; step++) {
    const at = new Date(start + step * 50_000);
    assert.ok(await validateSessionToken(testApp.db, token, policy, at), `still signed in after ${step * 50} s of activity`);
  }
  // Idle for more than the window: the session ends.
  assert.equal(await validateSessionToken(testApp.db, token, policy, new Date(start + 4 * 50_000 + 61_000)), null);
});

test('finding 11: back-office pages and every answer to a signed-in person carry Cache-Control: no-store', async (t) => {
  const testApp = await buildTestApp(t);
  await buildDataset(testApp.db, testApp.storage, { slug: 'cong-khai' });
  const admin = await agentFor(testApp, await buildUser(testApp.db, { role: 'admin' }));
  for (const url of ['/admin', '/admin/feedback', '/admin/accounts', '/account/password', '/dataset/cong-khai', '/']) {
    const response = await admin.get(url);
    assert.equal(response.headers['cache-control'], 'no-store', url);
  }
  const anonymous = new Agent(testApp.app);
  assert.equal((await anonymous.get('/login')).headers['cache-control'], 'no-store', 'the sign-in form carries a token');
  assert.notEqual((await anonymous.get('/dataset/cong-khai')).headers['cache-control'], 'no-store', 'public pages stay cacheable');
});

test('finding 11: the session cookie has no Expires or Max-Age: it ends with the browser session', async (t) => {
  const testApp = await buildTestApp(t);
  const user = await buildUser(testApp.db, { role: 'officer' });
  const response = await new Agent(testApp.app).signIn(user.email, testPassword);
  const raw = rawSetCookie(response, 'portal_session') ?? '';
  assert.match(raw, /^portal_session=/);
  assert.doesNotMatch(raw, /Expires=|Max-Age=/i);
  assert.match(raw, /HttpOnly/);
});

test('finding 11: the CSRF secret is replaced at sign-in, so a token learnt before no longer works', async (t) => {
  const testApp = await buildTestApp(t);
  const user = await buildUser(testApp.db, { role: 'officer' });
  const agent = new Agent(testApp.app);
  await agent.get('/login');
  const before = agent.csrfToken;
  const secretBefore = agent.cookies.get('portal_csrf');
  const response = await agent.post('/login', { email: user.email, password: testPassword });
  assert.equal(response.statusCode, 302);
  const secretAfter = setCookie(response, 'portal_csrf')?.value;
  assert.ok(secretAfter && secretAfter !== secretBefore, 'a new secret is set');
  const stale = await testApp.app.inject({
    method: 'POST',
    url: '/account/password',
    cookies: Object.fromEntries(agent.cookies),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: before ?? '', currentPassword: testPassword, newPassword: 'x' }).toString(),
  });
  assert.equal(stale.statusCode, 403);
});

test('finding 11: the upload form sends its CSRF token as a field, never in the URL, and a missing field is refused', async (t) => {
  const testApp = await buildTestApp(t);
  const { buildAgency, buildTopic } = await import('../../helpers/factories.ts');
  const agency = await buildAgency(testApp.db);
  const topic = await buildTopic(testApp.db);
  const officer = await agentFor(testApp, await buildUser(testApp.db, { role: 'officer', agency }));
  const { datasetId } = await createDraftThroughForm(officer, topic.id);
  assert.ok(datasetId);
  const workspace = await officer.get(`/admin/datasets/${datasetId}`);
  const form = /<form class="form upload-form"[^>]*>/.exec(workspace.body)?.[0] ?? '';
  assert.match(form, new RegExp(`action="/admin/datasets/${datasetId}/resources"`));
  assert.doesNotMatch(form, /_csrf/, 'no token in the action URL');

  const send = (csrf: string | undefined, url = `/admin/datasets/${datasetId}/resources`) => {
    const { body, contentType } = multipartBody({ csrf, fileName: 'a.csv', content: 'a,b\n1,2\n' });
    return testApp.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType }, cookies: Object.fromEntries(officer.cookies) });
  };
  assert.equal((await send(undefined)).statusCode, 403, 'no token: refused');
  assert.equal((await send('forged')).statusCode, 403, 'a wrong token: refused');
  assert.equal((await send(undefined, `/admin/datasets/${datasetId}/resources?_csrf=${encodeURIComponent(officer.csrfToken ?? '')}`)).statusCode, 403, 'a token in the URL is no longer read');
  assert.equal((await send(officer.csrfToken ?? '')).statusCode, 302, 'the token as the first field: accepted');
});
