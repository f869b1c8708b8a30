import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { FileTooLargeError } from './file-storage.ts';

/**
 * What every storage engine does to a file on its way in: count its bytes, stop it past `maxBytes`
 * (FileTooLargeError), and hash it. `result()` is read once the stream has ended.
 */
export function meterUpload(source: Readable | Buffer | string, maxBytes?: number) {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sizeBytes += chunk.length;
      if (maxBytes !== undefined && sizeBytes > maxBytes) {
        callback(new FileTooLargeError(maxBytes));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const input = typeof source === 'string' || Buffer.isBuffer(source) ? Readable.from([Buffer.from(source)]) : source;
  return { input, meter, result: () => ({ sizeBytes, sha256: hash.digest('hex') }) };
}
