import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pageCacheLookups, registry, searchFallbacks } from '../../../src/modules/operations/metrics.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildDataset } from '../../helpers/factories.ts';

const metricsToken = 'a-long-enough-metrics-token';

async function counterValue(metric: { get(): Promise<{ values: Array<{ value: number; labels: object }> }> }, labels: Record<string, string> = {}) {
  const { values } = await metric.get();
  return values
    .filter((item) => Object.entries(labels).every(([key, value]) => (item.labels as Record<string, string>)[key] === value))
    .reduce((sum, item) => sum + item.value, 0);
}

test('metrics are refused to a caller from another machine when no token is configured, and served locally', async (t) => {
  const { app } = await buildTestApp(t);
  const remote = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7' });
  assert.equal(remote.statusCode, 403);
  assert.doesNotMatch(remote.body, /portal_/);
  const local = await app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(local.statusCode, 200);
  assert.match(local.body, /^# HELP portal_http_request_duration_seconds /m);
  assert.match(local.body, /portal_process_resident_memory_bytes/);
});

test('with METRICS_TOKEN, metrics need that bearer token, even from this machine', async (t) => {
  const { app } = await buildTestApp(t, { METRICS_TOKEN: metricsToken });
  assert.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
  const wrong = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer a-long-enough-metrics-tokeX' } });
  assert.equal(wrong.statusCode, 401);
  const right = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${metricsToken}` }, remoteAddress: '203.0.113.7' });
  assert.equal(right.statusCode, 200);
});

test('request latency is recorded by route pattern, not by the address asked for', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const { dataset } = await buildDataset(db, storage);
  await app.inject({ method: 'GET', url: `/dataset/${dataset.slug}` });
  const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(body, /portal_http_request_duration_seconds_count\{[^}]*route="\/dataset\/:slug"[^}]*status="2xx"/);
  assert.doesNotMatch(body, new RegExp(`route="[^"]*${dataset.slug}`));
});

test('page-cache hits and misses are counted, so the hit ratio can be graphed', async (t) => {
  const { app } = await buildTestApp(t, { PAGE_CACHE_SECONDS: '60' });
  const hits = await counterValue(pageCacheLookups, { result: 'hit' });
  const misses = await counterValue(pageCacheLookups, { result: 'miss' });
  await app.inject({ method: 'GET', url: '/' });
  await app.inject({ method: 'GET', url: '/' });
  assert.equal(await counterValue(pageCacheLookups, { result: 'miss' }), misses + 1);
  assert.equal(await counterValue(pageCacheLookups, { result: 'hit' }), hits + 1);
  assert.match(await registry.metrics(), /portal_page_cache_hit_ratio\{[^}]*\} [\d.]+/);
});

test('with Meilisearch unreachable the portal stays ready, search falls back and is counted, and the warning carries the request id', async (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  // Port 9 (discard) refuses connections at once: the engine fails without a wait.
  const { app } = await buildTestApp(t, { MEILI_URL: 'http://127.0.0.1:9', MEILI_MASTER_KEY: 'test-key', LOG_LEVEL: 'warn' }, { logStream });
  await app.ready();

  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { status: 'degraded', checks: { database: 'ok', search: 'fallback' } });

  const before = await counterValue(searchFallbacks);
  const search = await app.inject({ method: 'GET', url: '/dataset?q=giao+duc', headers: { 'x-request-id': 'search-req-42' } });
  assert.equal(search.statusCode, 200);
  assert.equal(await counterValue(searchFallbacks), before + 1);
  const warning = lines.find((line) => /answering from PostgreSQL/.test(String(line.msg)));
  assert.ok(warning, 'the fallback is logged');
  assert.equal(warning.reqId, 'search-req-42');
});
