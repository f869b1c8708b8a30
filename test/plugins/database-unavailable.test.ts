import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/client.ts';
import { buildTestApp } from '../helpers/app.ts';
import { buildDataset } from '../helpers/factories.ts';

// Issue 10, finding 9: while PostgreSQL was down, pages answered 500 instead of 503 with Retry-After.

test('finding 9: when the database handle is gone, pages answer 503 with Retry-After and a sentence', async (t) => {
  const { app, db, storage, database } = await buildTestApp(t, { PAGE_CACHE_SECONDS: '0' });
  await buildDataset(db, storage, { slug: 'chat-luong-nuoc' });
  assert.equal((await app.inject({ url: '/dataset/chat-luong-nuoc' })).statusCode, 200);
  await database.close();
  for (const url of ['/', '/dataset/chat-luong-nuoc', '/dataset?q=nuoc']) {
    const response = await app.inject({ url });
    assert.equal(response.statusCode, 503, url);
    assert.ok(Number(response.headers['retry-after']) > 0, `${url} says when to come back`);
    assert.match(response.body, /không truy cập được cơ sở dữ liệu/, url);
  }
  const json = await app.inject({ url: '/dataset?q=nuoc', headers: { accept: 'application/json' } });
  assert.equal(json.json().error, 'database_unavailable');
});

test('finding 9: a PostgreSQL server that refuses connections gives 503 with Retry-After, not 500', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portal-test-'));
  // Port 9 (discard) has no PostgreSQL listening on this machine: every connection is refused.
  const database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:9/portal', dataDir });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, SEED_DEMO: 'never', PAGE_CACHE_SECONDS: '0' });
  const app = await buildApp({ config, database, mailTransport: { jsonTransport: true } });
  t.after(async () => {
    await app.close();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const response = await app.inject({ url: '/dataset' });
  assert.equal(response.statusCode, 503);
  assert.ok(Number(response.headers['retry-after']) > 0);
});
