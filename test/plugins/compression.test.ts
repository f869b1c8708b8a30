import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';
import { buildDataset } from '../helpers/factories.ts';

const browser = { 'accept-encoding': 'gzip, deflate, br, zstd' };

test('a first visit to the search page gets its HTML compressed, not only the cached copy', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  for (let i = 0; i < 12; i++) await buildDataset(db, storage);
  await app.searchIndexer.drain();
  const page = await app.inject({ url: '/dataset', headers: browser });
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['content-encoding'], 'br');
  const plain = await app.inject({ url: '/dataset?page=1' });
  assert.ok(page.rawPayload.length * 3 < plain.rawPayload.length, `${page.rawPayload.length} bytes compressed, ${plain.rawPayload.length} plain`);
});

test('an API answer is compressed for a client that accepts it and plain for one that does not', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  for (let i = 0; i < 5; i++) await buildDataset(db, storage);
  await app.searchIndexer.drain();
  const compressed = await app.inject({ url: '/api/3/action/package_search?rows=5', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(compressed.headers['content-encoding'], 'gzip');
  const plain = await app.inject({ url: '/api/3/action/package_search?rows=5' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.json().result.results.length, 5);
});

test('a downloaded file keeps its bytes and its length: files are never compressed on the way out', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const content = `Mã,Tên trường\n${Array.from({ length: 500 }, (_, i) => `${i},Trường Tiểu học số ${i}`).join('\n')}\n`;
  const built = await buildDataset(db, storage, { files: [{ content }] });
  const resource = built.resources[0];
  const download = await app.inject({ url: `/dataset/${built.dataset.slug}/resource/${resource.id}/download`, headers: browser });
  assert.equal(download.statusCode, 200);
  assert.equal(download.headers['content-encoding'], undefined);
  // The download opens in Excel: a byte-order mark, then the file's own bytes.
  assert.deepEqual(download.rawPayload.subarray(3), Buffer.from(content));
});
