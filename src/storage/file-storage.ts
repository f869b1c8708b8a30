import type { Readable } from 'node:stream';

export interface StoredFile {
  key: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * Where uploaded and generated files live. Local directory now; an S3-compatible store can
 * implement the same interface later. Writes are all-or-nothing: a reader never sees half a file.
 */
export interface FileStorage {
  /** Streams `source` into a new file under `key`, hashing it on the way; never buffers it whole. */
  put(key: string, source: Readable | Buffer | string, options?: { maxBytes?: number }): Promise<StoredFile>;
  /** Null when the file is missing (deleted by hand, lost disk): callers answer 404, not 500. */
  open(key: string): Promise<{ stream: Readable; sizeBytes: number } | null>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * A short-lived address from which a browser downloads the file straight from the store (a
   * presigned URL), or null when this storage cannot hand one out (local files, an S3 endpoint
   * browsers cannot reach): the file is then streamed through the node. Absent: never.
   */
  downloadUrl?(key: string, options: { fileName: string; contentType: string }): Promise<string | null>;
  /** Removes temporary files left by a crash in the middle of a write. */
  sweepTemporary(): Promise<number>;
  /** Every stored file under a key prefix (e.g. "resources/"), with when it was last written. */
  list(prefix: string): AsyncIterable<{ key: string; modifiedAt: Date }>;
}

export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`file larger than ${maxBytes} bytes`);
  }
}
