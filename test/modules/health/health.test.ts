import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';

test('healthz answers while the process is up', async (t) => {
  const { app } = await buildTestApp(t);
  const response = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), { status: 'ok' });
});

test('readyz reports the database as ready', async (t) => {
  const { app } = await buildTestApp(t);
  const response = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), { status: 'ok', checks: { database: 'ok' } });
});

test('readyz answers 503 in JSON when the database is gone', async (t) => {
  const { app, database } = await buildTestApp(t);
  await database.close();
  const response = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(response.statusCode, 503);
  assert.equal(response.json().checks.database, 'unavailable');
});

test('every answer carries a request id, and a caller’s id is kept', async (t) => {
  const { app } = await buildTestApp(t);
  const given = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'proxy-123' } });
  assert.equal(given.headers['x-request-id'], 'proxy-123');
  const fresh = await app.inject({ method: 'GET', url: '/healthz' });
  assert.match(String(fresh.headers['x-request-id']), /^[0-9a-f-]{36}$/);
});

test('pages carry a content security policy without inline scripts', async (t) => {
  const { app } = await buildTestApp(t);
  const response = await app.inject({ method: 'GET', url: '/' });
  const csp = String(response.headers['content-security-policy']);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
});

test('every answer carries the security headers, and HSTS only when the portal is served over https', async (t) => {
  const { app } = await buildTestApp(t);
  const response = await app.inject({ method: 'GET', url: '/khong-co-trang-nay' });
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
  assert.equal(response.headers['referrer-policy'], 'no-referrer');
  assert.equal(response.headers['cross-origin-resource-policy'], 'cross-origin');
  assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.equal(response.headers['strict-transport-security'], undefined);

  const { app: secure } = await buildTestApp(t, { BASE_URL: 'https://data.binhdinh.gov.vn' });
  const overHttps = await secure.inject({ method: 'GET', url: '/healthz' });
  assert.match(String(overHttps.headers['strict-transport-security']), /max-age=\d+/);
});
