import path from 'node:path';
import type { Config } from '../config.ts';
import type { FileStorage } from './file-storage.ts';
import { LocalFileStorage } from './local-file-storage.ts';

/**
 * The storage the configuration names: an S3-compatible bucket when S3_BUCKET is set, else
 * DATA_DIR/files. The S3 engine (and the AWS SDK, ~10 MB of modules) is loaded only when used.
 */
export async function storageFromConfig(config: Config): Promise<FileStorage> {
  if (!config.S3_BUCKET) return new LocalFileStorage(path.join(config.dataDir, 'files'));
  const { S3FileStorage } = await import('./s3-file-storage.ts');
  return new S3FileStorage({
    endpoint: config.S3_ENDPOINT,
    publicEndpoint: config.S3_PUBLIC_ENDPOINT,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    accessKeyId: config.S3_ACCESS_KEY_ID ?? '',
    secretAccessKey: config.S3_SECRET_ACCESS_KEY ?? '',
  });
}
