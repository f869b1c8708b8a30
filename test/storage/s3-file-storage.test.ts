import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { type TestContext, test } from 'node:test';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { FileTooLargeError } from '../../src/storage/file-storage.ts';
import { S3FileStorage } from '../../src/storage/s3-file-storage.ts';

// s3rver (npm) is an S3 protocol server in this process, on a temporary directory: no download, no
// daemon. It speaks enough of S3 for objects, multipart uploads and presigned GETs; it does not
// cover ListMultipartUploads, bucket policies, versioning or server-side encryption.

const MB = 1024 * 1024;
const bucket = 'portal-files';
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

async function bucketOnS3rver(t: TestContext) {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'portal-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const admin = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  const storage = new S3FileStorage({ endpoint, region: 'us-east-1', bucket, ...credentials, partSizeBytes: 5 * MB });
  t.after(async () => {
    storage.destroy();
    admin.destroy();
    await server.close();
    await rm(directory, { recursive: true, force: true });
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
