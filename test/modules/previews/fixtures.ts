import { PassThrough, Readable } from 'node:stream';

/** The text as a stream of small chunks, so rows and characters are cut across chunks. */
export function streamOf(text: string, chunkSize = 16): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

/** A writable that keeps everything written, for conversions. */
export function sink() {
  const output = new PassThrough();
  const parts: Buffer[] = [];
  output.on('data', (chunk: Buffer) => parts.push(chunk));
  return { output, bytes: () => Buffer.concat(parts), text: () => Buffer.concat(parts).toString('utf8') };
}

/** A CSV built row by row on demand, counting how many chunks the reader pulled. */
export function lazyCsv(rowCount: number, rowsPerChunk = 10) {
  let next = 0;
  const stats = { pulled: 0 };
  const stream = new Readable({
    read() {
      stats.pulled++;
      if (next === 0) this.push('Mã xã,Tên xã,Dân số\n');
      let text = '';
      for (let i = 0; i < rowsPerChunk && next < rowCount; i++, next++) text += `${next},Xã Chiềng ${next},${next * 3}\n`;
      this.push(text === '' ? null : text);
    },
  });
  return { stream, stats };
}
