import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { attachmentDisposition } from '../lib/content-disposition.ts';
import type { FileStorage, StoredFile } from './file-storage.ts';
import { meterUpload } from './metered-stream.ts';

export interface S3StorageOptions {
  /** An S3-compatible endpoint (MinIO, Ceph, a provincial cloud); absent for AWS itself. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /**
   * Where browsers reach the store, when `endpoint` is an internal address (http://minio:9000 in
   * compose). Download links are signed for this host. Absent with `endpoint`: no download links.
   */
  publicEndpoint?: string;
  /** Bucket in the path (http://minio:9000/bucket/key), as MinIO and most on-premises stores expect. */
  forcePathStyle?: boolean;
  /** Parts of a multipart upload; S3's minimum is 5 MiB. */
  partSizeBytes?: number;
}

/** An upload left unfinished by a crash is aborted once older than this (its parts cost storage). */
const abandonedAfterMs = 60 * 60_000;

const isNotFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

/**
 * Files in an S3-compatible bucket, so that app nodes on several hosts share them. Uploads stream
 * through a multipart upload (never buffered whole) and are hashed on the way; S3 shows an object
 * only once its upload completes, so a reader never sees half a file, and a failed or too-large
 * upload is aborted. Downloads stream, or are redirected to a short-lived presigned URL.
 */
/** How long a download link works: enough to start the download, too short to pass around. */
export const downloadLinkSeconds = 120;

export class S3FileStorage implements FileStorage {
  private readonly client: S3Client;
  /** Signs download links for the address browsers use (the signature covers the host). */
  private readonly linkClient: S3Client | null;

  constructor(private readonly options: S3StorageOptions) {
    this.client = S3FileStorage.clientFor(options, options.endpoint);
    // AWS itself is public; a MinIO behind compose is not, unless its public address is given.
    const linkEndpoint = options.publicEndpoint ?? options.endpoint;
    this.linkClient = options.publicEndpoint || !options.endpoint ? S3FileStorage.clientFor(options, linkEndpoint) : null;
  }

  private static clientFor(options: S3StorageOptions, endpoint: string | undefined) {
    return new S3Client({
      endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // Checksums only where S3 requires them: many S3-compatible stores reject the SDK's default
      // trailing CRC32 checksums; the portal keeps its own SHA-256 of every file anyway.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private static validKey(key: string): string {
    if (key.length === 0 || key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '.')) throw new Error(`invalid storage key: ${key}`);
    return key;
  }

  async put(key: string, source: Readable | Buffer | string, options: { maxBytes?: number } = {}): Promise<StoredFile> {
    const { input, meter, result } = meterUpload(source, options.maxBytes);
    input.on('error', (error) => meter.destroy(error));
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.options.bucket, Key: S3FileStorage.validKey(key), Body: input.pipe(meter) },
      partSize: this.options.partSizeBytes ?? 8 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    // A stream error (too large, client gone) stops the upload, which aborts its parts; the caller
    // hears of the stream's error (FileTooLargeError), not of the abort it caused.
    let streamError: unknown;
    meter.on('error', (error) => {
      streamError = error;
      void upload.abort().catch(() => {});
    });
    try {
      await upload.done();
    } catch (error) {
      throw streamError ?? error;
    }
    if (streamError) throw streamError;
    return { key, ...result() };
  }

  async open(key: string) {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: S3FileStorage.validKey(key) }));
      return { stream: object.Body as Readable, sizeBytes: object.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async exists(key: string) {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: S3FileStorage.validKey(key) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async delete(key: string) {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: S3FileStorage.validKey(key) }));
  }

  /** A link that lets a browser download the object straight from the store for `seconds`. */
  async presignedUrl(key: string, { seconds = downloadLinkSeconds, fileName, contentType }: { seconds?: number; fileName?: string; contentType?: string } = {}): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: S3FileStorage.validKey(key),
      ...(fileName ? { ResponseContentDisposition: attachmentDisposition(fileName) } : {}),
      ...(contentType ? { ResponseContentType: contentType } : {}),
    });
    return getSignedUrl(this.linkClient ?? this.client, command, { expiresIn: seconds });
  }

  /** A presigned link when browsers can reach the store; null (stream instead) when the file is gone. */
  async downloadUrl(key: string, options: { fileName: string; contentType: string }): Promise<string | null> {
    if (!this.linkClient) return null;
    // A HEAD first: a missing file answers our own 404 page, not the store's XML error.
    if (!(await this.exists(key))) return null;
    return this.presignedUrl(key, options);
  }

  /** Every object under a prefix, a page of up to 1,000 at a time (for the orphan file sweep). */
  async *list(prefix: string): AsyncIterable<{ key: string; modifiedAt: Date }> {
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, ContinuationToken: continuationToken }));
      for (const object of page.Contents ?? []) {
        if (object.Key) yield { key: object.Key, modifiedAt: object.LastModified ?? new Date() };
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  /** Aborts multipart uploads abandoned by a crash (older than an hour: others may be in flight). */
  async sweepTemporary() {
    let aborted = 0;
    try {
      const listed = await this.client.send(new ListMultipartUploadsCommand({ Bucket: this.options.bucket }));
      for (const upload of listed.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId || (upload.Initiated && Date.now() - upload.Initiated.getTime() < abandonedAfterMs)) continue;
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.options.bucket, Key: upload.Key, UploadId: upload.UploadId }));
        aborted++;
      }
    } catch (error) {
      // Some S3-compatible stores do not list uploads; a bucket lifecycle rule then does this job.
      if ((error as { name?: string }).name !== 'NotImplemented') throw error;
    }
    return aborted;
  }

  destroy() {
    this.client.destroy();
    if (this.linkClient !== this.client) this.linkClient?.destroy();
  }
}
