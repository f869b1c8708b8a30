import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Excel on Windows reads a CSV without a byte-order mark as the local code page, which turns
 * Vietnamese into mojibake. Stored CSVs are UTF-8; the download a citizen gets first carries the
 * BOM (added once, never twice), so that double-clicking the file opens it correctly.
 */
export async function withUtf8Bom(stream: Readable): Promise<{ stream: Readable; addedBytes: number }> {
  const first = await firstChunk(stream);
  const out = new PassThrough();
  const hasBom = first?.subarray(0, 3).equals(BOM) ?? false;
  if (!hasBom) out.write(BOM);
  if (first !== null) out.write(first);
  stream.on('error', (error) => out.destroy(error));
  stream.pipe(out);
  return { stream: out, addedBytes: hasBom ? 0 : BOM.length };
}

async function firstChunk(stream: Readable): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const onReadable = () => {
      const chunk = stream.read() as Buffer | null;
      if (chunk === null && !stream.readableEnded) return;
      cleanup();
      resolve(chunk === null ? null : Buffer.from(chunk));
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
