import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { topics } from '../../../src/modules/topics/topics.table.ts';
import { acceptsGzip, createPageCache } from '../../../src/plugins/page-cache.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildDataset, buildTopic, buildUser, testPassword } from '../../helpers/factories.ts';
import { enqueueSearchUpdate } from '../../../src/modules/search/search.outbox.ts';
import { viewsOf } from '../../../src/modules/stats/stats.repository.ts';

// The default, spelled out: these tests are about the cache itself.
const cached = { PAGE_CACHE_SECONDS: '10' };

test('an anonymous visitor gets a public page from memory the second time, the same page', async (t) => {
  const { app, db, storage } = await buildTestApp(t, cached);
  await buildDataset(db, storage, { revision: { title: 'Danh sách trường học' } });
  const first = await app.inject({ method: 'GET', url: '/dataset?q=truong' });
  const second = await app.inject({ method: 'GET', url: '/dataset?q=truong' });
  assert.equal(first.headers['x-page-cache'], 'miss');
  assert.equal(second.headers['x-page-cache'], 'hit');
  assert.equal(second.statusCode, 200);
  assert.match(second.headers['content-type'] as string, /^text\/html/);
  assert.equal(second.body, first.body);
  assert.ok(second.headers['content-security-policy'], 'security headers are sent with cached pages too');
});

test('signed-in people and pages in another language are never given a page cached for anonymous Vietnamese visitors', async (t) => {
  const { app, db } = await buildTestApp(t, cached);
  const topic = await buildTopic(db, { slug: 'giao-duc', nameVi: 'Giáo dục', nameEn: 'Education' });
  const officer = await buildUser(db, { role: 'officer', email: 'can-bo@example.gov.vn' });
  await app.inject({ method: 'GET', url: `/group/${topic.slug}` });

  const english = await app.inject({ method: 'GET', url: `/group/${topic.slug}`, cookies: { lang: 'en' } });
  assert.equal(english.headers['x-page-cache'], 'miss');
  assert.match(english.body, /Education/);

  const agent = new Agent(app);
  await agent.signIn(officer.email, testPassword);
  const signedIn = await agent.get(`/group/${topic.slug}`);
  assert.equal(signedIn.statusCode, 200);
  assert.equal(signedIn.headers['x-page-cache'], undefined);
});

test('a dataset published after the search page was cached appears as soon as the search index follows', async (t) => {
  const { app, db, storage } = await buildTestApp(t, cached);
  await buildDataset(db, storage, { revision: { title: 'Danh sách trường học' } });
  await app.searchIndexer.drain();
  assert.doesNotMatch((await app.inject({ method: 'GET', url: '/dataset' })).body, /Danh sách nhà thuốc/);

  const later = await buildDataset(db, storage, { revision: { title: 'Danh sách nhà thuốc' } });
  await enqueueSearchUpdate(db, [later.dataset.id]);
  await app.searchIndexer.drain();
  const after = await app.inject({ method: 'GET', url: '/dataset' });
  assert.equal(after.headers['x-page-cache'], 'miss');
  assert.match(after.body, /Danh sách nhà thuốc/);
});

test('a successful form submission empties the cache, a refused one does not', async (t) => {
  const { app, db } = await buildTestApp(t, cached);
  const topic = await buildTopic(db, { slug: 'giao-duc', nameVi: 'Giáo dục' });
  const officer = await buildUser(db, { role: 'officer', email: 'can-bo@example.gov.vn' });
  await app.inject({ method: 'GET', url: '/group/giao-duc' });
  // Changed behind the portal's back (another process): this process still serves its copy.
  await db.update(topics).set({ nameVi: 'Giáo dục và Đào tạo' }).where(eq(topics.id, topic.id));
  assert.doesNotMatch((await app.inject({ method: 'GET', url: '/group/giao-duc' })).body, /Giáo dục và Đào tạo/);

  const agent = new Agent(app);
  assert.equal((await agent.post('/login', { email: officer.email, password: 'sai mật khẩu rồi' })).statusCode, 401);
  assert.equal((await app.inject({ method: 'GET', url: '/group/giao-duc' })).headers['x-page-cache'], 'hit');

  await agent.signIn(officer.email, testPassword);
  const fresh = await app.inject({ method: 'GET', url: '/group/giao-duc' });
  assert.equal(fresh.headers['x-page-cache'], 'miss');
  assert.match(fresh.body, /Giáo dục và Đào tạo/);
});

test('every visitor of a cached dataset page gets a CSRF token and a form stamp of their own, and the view is counted', async (t) => {
  const { app, db, storage } = await buildTestApp(t, cached);
  const built = await buildDataset(db, storage, { slug: 'chat-luong-khong-khi', revision: { title: 'Chỉ số chất lượng không khí' } });
  const first = new Agent(app);
  const second = new Agent(app);
  const firstPage = await first.get('/dataset/chat-luong-khong-khi');
  const beforeSecond = Date.now();
  const secondPage = await second.get('/dataset/chat-luong-khong-khi');
  assert.equal(secondPage.headers['x-page-cache'], 'hit');
  assert.ok(first.csrfToken && second.csrfToken);
  assert.notEqual(first.csrfToken, second.csrfToken);
  assert.ok(second.cookies.has('portal_csrf'), 'the cached answer still sets the CSRF secret cookie');
  assert.doesNotMatch(secondPage.body, /__pagehole_/);
  const stamp = (body: string) => /name="stamp" value="([^"]+)"/.exec(body)?.[1];
  assert.ok(stamp(firstPage.body));
  assert.ok(Number(stamp(secondPage.body)?.slice(0, 13)) >= beforeSecond, 'the fill-time stamp is issued when the page is served, not when it was cached');

  await app.stats.flush();
  assert.equal(await viewsOf(db, built.dataset.id), 2);
});

test('text that only looks like a hole marker is shown as it was written', async (t) => {
  const { app, db, storage } = await buildTestApp(t, cached);
  await buildDataset(db, storage, { slug: 'ma-la', revision: { title: 'Mã __pagehole_bi-an__ và __pagehole_csrf__' } });
  for (const visit of ['miss', 'hit']) {
    const page = await app.inject({ method: 'GET', url: '/dataset/ma-la' });
    assert.equal(page.statusCode, 200, visit);
    assert.equal(page.headers['x-page-cache'], visit);
    assert.match(page.body, /<h1[^>]*>Mã __pagehole_bi-an__ và /, visit);
  }
});

test('a page expires after PAGE_CACHE_SECONDS and the least recently used pages go first when memory runs out', () => {
  const cache = createPageCache({ seconds: 10, maxBytes: 1300 });
  // A clock in milliseconds since the epoch, as Date.now() gives (lru-cache reads 0 as "no time").
  const t0 = 1_700_000_000_000;
  const page = (text: string) => ({ pieces: [text], contentType: 'text/html', onServe: [] });
  cache.set('a', page('x'.repeat(200)), t0);
  assert.ok(cache.get('a', t0 + 9_999));
  assert.equal(cache.get('a', t0 + 10_000), undefined);

  cache.set('a', page('x'.repeat(200)), t0);
  cache.set('b', page('x'.repeat(200)), t0);
  cache.get('a', t0 + 1);
  cache.set('c', page('x'.repeat(200)), t0 + 2);
  assert.ok(cache.get('a', t0 + 3), 'used recently: kept');
  assert.equal(cache.get('b', t0 + 3), undefined, 'least recently used: dropped');
  assert.ok(cache.get('c', t0 + 3));
  assert.ok(cache.stats().bytes <= 1300);
  cache.set('huge', page('x'.repeat(2000)), t0 + 4);
  assert.equal(cache.get('huge', t0 + 4), undefined, 'a page larger than the whole cache is not kept');
});

test('a browser that accepts gzip gets a cached page compressed, the same page once unpacked', async (t) => {
  const { app, db } = await buildTestApp(t, cached);
  await buildTopic(db, { slug: 'giao-duc', nameVi: 'Giáo dục' });
  const plain = await app.inject({ method: 'GET', url: '/group' });
  const zipped = await app.inject({ method: 'GET', url: '/group', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(zipped.headers.vary, 'accept-encoding');
  assert.ok(zipped.rawPayload.length < plain.rawPayload.length / 2);
  assert.equal(gunzipSync(zipped.rawPayload).toString('utf8'), plain.body);
  const refused = await app.inject({ method: 'GET', url: '/group', headers: { 'accept-encoding': 'gzip;q=0, identity' } });
  assert.equal(refused.headers['content-encoding'], undefined);
  assert.equal(refused.body, plain.body);
});

test('gzip is accepted when named or implied by *, never when refused with q=0', () => {
  const accepts = (header?: string) => acceptsGzip({ headers: header === undefined ? {} : { 'accept-encoding': header } });
  assert.equal(accepts('gzip, deflate, br'), true);
  assert.equal(accepts('br;q=1.0, GZIP;q=0.5'), true);
  assert.equal(accepts('*'), true);
  assert.equal(accepts('gzip;q=0'), false);
  assert.equal(accepts('identity'), false);
  assert.equal(accepts(undefined), false);
});
