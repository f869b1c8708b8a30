import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type TestContext, test } from 'node:test';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { eq } from 'drizzle-orm';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import { resources } from '../../../src/modules/resources/resources.table.ts';
import { downloadsByLineage } from '../../../src/modules/stats/stats.repository.ts';
import { S3FileStorage } from '../../../src/storage/s3-file-storage.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { buildDataset } from '../../helpers/factories.ts';
import { s3rverBucket } from '../../helpers/s3rver.ts';

// Issue 17, item 2: with an S3-compatible store, a file served as stored leaves from the store on a
// short-lived presigned link instead of through the node; the CSV download, which gains a UTF-8 BOM
// on the way (Excel, MISSION), still streams. Either way the download is counted.
// s3rver 3.7.1 (npm) runs in this process; it checks presigned signatures and expiry.

async function appOnS3(t: TestContext, { publicEndpoint = true }: { publicEndpoint?: boolean } = {}) {
  const { bucket, port, endpoint, admin, credentials } = await s3rverBucket(t);
  // "localhost" plays the public address browsers use; 127.0.0.1 the internal one the node uses.
  const storage = new S3FileStorage({ endpoint, publicEndpoint: publicEndpoint ? `http://localhost:${port}` : undefined, region: 'us-east-1', bucket, ...credentials });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portal-test-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, SEED_DEMO: 'never' });
  const database = await createTestDatabase();
  const app = await buildApp({ config, database, storage, mailTransport: { jsonTransport: true } });
  t.after(async () => {
    await app.close();
    await database.close();
    storage.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { app, db: database.db, storage, admin, bucket, port };
}

test('a file served as stored answers 302 to a short-lived presigned link on the store, and the download is counted', async (t) => {
  const { app, db, storage, port } = await appOnS3(t);
  const pdf = Buffer.from('%PDF-1.4 báo cáo\n');
  const built = await buildDataset(db, storage, { files: [{ content: pdf, fileName: 'bao-cao.pdf', format: 'PDF', mediaType: 'application/pdf' }] });
  const [resource] = built.resources;
  const response = await app.inject({ method: 'GET', url: `/dataset/${built.dataset.slug}/resource/${resource.id}/download/bao-cao.pdf` });
  assert.equal(response.statusCode, 302);
  assert.equal(response.headers['cache-control'], 'no-store', 'no proxy may keep a link that expires');
  const location = new URL(String(response.headers.location));
  assert.equal(location.host, `localhost:${port}`, 'signed for the address browsers use');
  assert.ok(Number(location.searchParams.get('X-Amz-Expires')) <= 300, 'the link is short-lived');
  const fromStore = await fetch(location);
  assert.equal(fromStore.status, 200);
  assert.deepEqual(Buffer.from(await fromStore.arrayBuffer()), pdf);
  assert.match(fromStore.headers.get('content-disposition') ?? '', /filename="?bao-cao\.pdf"?|filename\*=UTF-8''bao-cao\.pdf/);

  await app.stats.flush();
  assert.equal((await downloadsByLineage(db, [resource.lineageId])).get(resource.lineageId), 1);
});

test('the CSV download still streams through the node with its UTF-8 BOM (Excel), and its original upload redirects', async (t) => {
  const { app, db, storage } = await appOnS3(t);
  const built = await buildDataset(db, storage, { files: [{ content: 'tên,số\nQuy Nhơn,1\n' }] });
  const [resource] = built.resources;
  const original = await storage.put(`resources/${built.dataset.id}/goc/du-lieu.csv`, Buffer.from('t\xean,s\xf4\n', 'latin1'));
  await db.update(resources).set({ originalStorageKey: original.key, originalSha256: original.sha256 }).where(eq(resources.id, resource.id));

  const base = `/dataset/${built.dataset.slug}/resource/${resource.id}`;
  const csv = await app.inject({ method: 'GET', url: `${base}/download` });
  assert.equal(csv.statusCode, 200);
  assert.deepEqual(csv.rawPayload.subarray(0, 3), Buffer.from([0xef, 0xbb, 0xbf]));
  assert.equal(csv.rawPayload.subarray(3).toString(), 'tên,số\nQuy Nhơn,1\n');

  const redirected = await app.inject({ method: 'GET', url: `${base}/original` });
  assert.equal(redirected.statusCode, 302);
  const fromStore = await fetch(String(redirected.headers.location));
  assert.deepEqual(Buffer.from(await fromStore.arrayBuffer()), Buffer.from('t\xean,s\xf4\n', 'latin1'));

  await app.stats.flush();
  assert.equal((await downloadsByLineage(db, [resource.lineageId])).get(resource.lineageId), 2);
});

test('an S3 endpoint browsers cannot reach (no public address) streams downloads through the node; a missing object is a 404 page', async (t) => {
  const { app, db, storage, admin, bucket } = await appOnS3(t, { publicEndpoint: false });
  const built = await buildDataset(db, storage, { files: [{ content: '{"a":1}', fileName: 'a.json', format: 'JSON', mediaType: 'application/json' }] });
  const [resource] = built.resources;
  const url = `/dataset/${built.dataset.slug}/resource/${resource.id}/download`;
  const streamed = await app.inject({ method: 'GET', url });
  assert.equal(streamed.statusCode, 200);
  assert.equal(streamed.body, '{"a":1}');

  await admin.send(new DeleteObjectCommand({ Bucket: bucket, Key: resource.storageKey ?? '' }));
  const missing = await app.inject({ method: 'GET', url });
  assert.equal(missing.statusCode, 404);
});

test('with a public address, a missing object is still our 404 page, not a link to the store\'s error', async (t) => {
  const { app, db, storage, admin, bucket } = await appOnS3(t);
  const built = await buildDataset(db, storage, { files: [{ content: '{"a":1}', fileName: 'a.json', format: 'JSON', mediaType: 'application/json' }] });
  const [resource] = built.resources;
  await admin.send(new DeleteObjectCommand({ Bucket: bucket, Key: resource.storageKey ?? '' }));
  const missing = await app.inject({ method: 'GET', url: `/dataset/${built.dataset.slug}/resource/${resource.id}/download` });
  assert.equal(missing.statusCode, 404);
});
