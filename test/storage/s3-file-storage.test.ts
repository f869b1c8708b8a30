import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { type TestContext, test } from 'node:test';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { FileTooLargeError } from '../../src/storage/file-storage.ts';
import { S3FileStorage } from '../../src/storage/s3-file-storage.ts';
import { s3rverBucket } from '../helpers/s3rver.ts';

const MB = 1024 * 1024;
const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

async function bucketOnS3rver(t: TestContext) {
  const { bucket, endpoint, admin, credentials } = await s3rverBucket(t);
  const storage = new S3FileStorage({ endpoint, region: 'us-east-1', bucket, ...credentials, partSizeBytes: 5 * MB });
  t.after(async () => {
    storage.destroy();
  });
  const keys = async () => ((await admin.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((item) => item.Key);
  return { storage, keys };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

test('a file put in the bucket comes back whole with its size and SHA-256; a missing key is null, not an error', async (t) => {
  const { storage } = await bucketOnS3rver(t);
  const content = 'tên,số\nQuy Nhơn,1\n';
  const stored = await storage.put('resources/d1/u1/du-lieu.csv', content);
  assert.deepEqual(stored, { key: 'resources/d1/u1/du-lieu.csv', sizeBytes: Buffer.byteLength(content), sha256: sha256(content) });
  assert.equal(await storage.exists(stored.key), true);
  const opened = await storage.open(stored.key);
  assert.ok(opened);
  assert.equal(opened.sizeBytes, Buffer.byteLength(content));
  assert.equal((await readAll(opened.stream)).toString(), content);

  await storage.delete(stored.key);
  assert.equal(await storage.open(stored.key), null);
  assert.equal(await storage.exists(stored.key), false);
});

test('a large file is streamed up in parts, and a presigned link downloads it from the store', async (t) => {
  const { storage } = await bucketOnS3rver(t);
  const big = Buffer.alloc(12 * MB, 'ab');
  // Chunks as a request body arrives: the storage never sees the file whole.
  const source = Readable.from((function* () {
    for (let offset = 0; offset < big.length; offset += 256 * 1024) yield big.subarray(offset, offset + 256 * 1024);
  })());
  const stored = await storage.put('resources/d2/u2/lon.csv', source);
  assert.equal(stored.sizeBytes, big.length);
  assert.equal(stored.sha256, sha256(big));

  const url = await storage.presignedUrl(stored.key, { seconds: 60, fileName: 'lớn.csv' });
  const response = await fetch(url);
  assert.equal(response.status, 200);
  assert.equal(sha256(Buffer.from(await response.arrayBuffer())), stored.sha256);
});

test('a file over maxBytes is refused with FileTooLargeError and leaves no object behind', async (t) => {
  const { storage, keys } = await bucketOnS3rver(t);
  const source = Readable.from((function* () {
    for (let i = 0; i < 12; i++) yield Buffer.alloc(MB, 'x');
  })());
  await assert.rejects(storage.put('resources/d3/u3/qua-lon.csv', source, { maxBytes: 6 * MB }), FileTooLargeError);
  assert.deepEqual(await keys(), []);
});

test('a key that climbs out of its folder is refused before any request', async (t) => {
  const { storage } = await bucketOnS3rver(t);
  await assert.rejects(storage.put('resources/../../etc/passwd', 'x'), /invalid storage key/);
  await assert.rejects(storage.open('/absolute'), /invalid storage key/);
});
