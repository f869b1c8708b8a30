import type { Readable } from 'node:stream';
import Papa from 'papaparse';

/**
 * Streaming pieces shared by inspection and previews: read the head of a file to sniff it, play it
 * back in front of the rest, and parse rows with papaparse reading the stream itself (its duplex
 * NODE_STREAM_INPUT mode hands over one row at a time and polls with 3 ms timers: ~0.5 MB/s).
 */
export async function readHead(input: Readable, size: number) {
  const rest: AsyncIterator<Buffer | string> = input[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < size) {
    const next = await rest.next();
    if (next.done) break;
    const chunk = Buffer.from(next.value);
    chunks.push(chunk);
    length += chunk.length;
  }
  return { head: Buffer.concat(chunks), rest };
}

export type CsvDelimiter = ',' | ';' | '\t';

/**
 * Delimiter and line break of a file's first lines (Vietnamese Excel writes ';'). Whole lines only,
 * so a line cut by the sample does not skew the guess; a one-column file stays ','.
 */
export function sniffCsvLayout(text: string): { delimiter: CsvDelimiter; newline: '\r\n' | '\r' | '\n' } {
  const lastNewline = text.lastIndexOf('\n');
  const sample = lastNewline > 0 ? text.slice(0, lastNewline + 1) : text;
  const { meta } = Papa.parse(sample, { preview: 20, skipEmptyLines: true, delimitersToGuess: [',', ';', '\t'] });
  return {
    delimiter: meta.delimiter === ';' || meta.delimiter === '\t' ? meta.delimiter : ',',
    newline: meta.linebreak === '\r\n' || meta.linebreak === '\r' ? meta.linebreak : '\n',
  };
}

/** The sniffed head followed by the rest of the input, as one stream again. */
export async function* replay(head: Buffer, rest: AsyncIterator<Buffer | string>) {
  try {
    if (head.length > 0) yield head;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield Buffer.from(next.value);
  } finally {
    await rest.return?.(); // destroys the input when reading stops early
  }
}

/** Rows held before papaparse is paused: enough to keep it busy, little enough to bound memory. */
const highWaterRows = 5_000;

/**
 * Rows of a text stream (strings), as an async generator with backpressure: papaparse is paused
 * while the consumer lags. Stopping early destroys the stream.
 */
export async function* parseCsvRows(text: Readable, config: { delimiter: string; newline: '\r\n' | '\n' | '\r'; skipEmptyLines?: boolean }): AsyncGenerator<string[]> {
  let queue: string[][] = [];
  let done = false;
  let failure: Error | null = null;
  let paused: Papa.Parser | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  text.on('error', (error) => {
    failure = error;
    signal();
  });
  Papa.parse(text as unknown as File, {
    delimiter: config.delimiter,
    newline: config.newline,
    header: false,
    skipEmptyLines: config.skipEmptyLines ?? false,
    chunk: (results: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
      for (const row of results.data) queue.push(row);
      if (queue.length >= highWaterRows) {
        parser.pause();
        paused = parser;
      }
      signal();
    },
    complete: () => {
      done = true;
      signal();
    },
    error: (error: Error) => {
      failure = error;
      signal();
    },
  });
  try {
    for (;;) {
      if (queue.length > 0) {
        const batch = queue;
        queue = [];
        yield* batch;
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      if (paused) {
        const parser: Papa.Parser = paused;
        paused = null;
        parser.resume(); // may push rows synchronously: look at the queue again before waiting
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    text.destroy();
  }
}
