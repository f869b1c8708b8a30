import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

// s3rver (npm) is an S3 protocol server in this process, on a temporary directory: no download, no
// daemon. It speaks enough of S3 for objects, multipart uploads and presigned GETs (with signature and
// expiry checks); it does not cover ListMultipartUploads, bucket policies, versioning or encryption.

export const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A running s3rver with one empty bucket, and an admin client to look inside it; gone after the test. */
export async function s3rverBucket(t: { after(fn: () => Promise<void>): void }, bucket = 'portal-files') {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'portal-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const admin = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3rverCredentials });
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  t.after(async () => {
    admin.destroy();
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });
  return { bucket, port, endpoint, admin, credentials: s3rverCredentials };
}
