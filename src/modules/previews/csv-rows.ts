import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ColumnType, createTableInspector } from '../tabular/csv-inspect.ts';
import { type CsvDelimiter, parseCsvRows, readHead, replay, sniffCsvLayout } from '../tabular/csv-stream.ts';
import { createUtf8DecodeStream, detectEncoding } from '../tabular/encoding.ts';

/**
 * Row-by-row reading of a stored CSV (UTF-8; comma, semicolon or tab), shared by previews,
 * conversions, charts and maps. Only a few chunks are held at a time; leaving a `for await` early
 * destroys the input.
 */

export type CsvReadOptions = {
  /** The inspection's delimiter when known; otherwise it is guessed from the first lines. */
  delimiter?: CsvDelimiter;
};

/** Bytes read before parsing: enough for detectEncoding and to see the first line break. */
const SNIFF_BYTES = 8 * 1024;

/** Every row of the file, blank rows skipped; the first one is the header. */
export async function* readCsvRows(input: Readable, options: CsvReadOptions = {}): AsyncGenerator<string[]> {
  const { head, rest } = await readHead(input, SNIFF_BYTES);
  // Files are stored as UTF-8, but detecting costs nothing and saves a raw upload in UTF-16.
  const encoding = detectEncoding(head);
  // Also strips the BOM; setEncoding hands papaparse strings of whole characters.
  const text = createUtf8DecodeStream(encoding).setEncoding('utf8');
  pipeline(Readable.from(replay(head, rest)), text).catch(() => {}); // errors reach parseCsvRows through `text`
  try {
    // The newline is sniffed from the head: papaparse would guess it from its first chunk, which
    // may end between the "\r" and "\n" of a "\r\n".
    for await (const cells of parseCsvRows(text, { delimiter: options.delimiter ?? sniffCsvLayout(head.toString('utf8')).delimiter, newline: guessNewline(head), skipEmptyLines: true })) {
      if (cells.some((cell) => cell.trim() !== '')) yield cells;
    }
  } finally {
    // The pipeline destroys the input too, but a few ticks later: callers may rely on it now.
    input.destroy();
  }
}

function guessNewline(head: Buffer): '\r\n' | '\n' | '\r' {
  const lf = head.indexOf(0x0a);
  if (lf > 0 && head[lf - 1] === 0x0d) return '\r\n';
  if (lf < 0 && head.includes(0x0d)) return '\r';
  return '\n';
}

export type Column = { name: string; type: ColumnType };

export type CsvTable = {
  /** Header names as written (trimmed); may be empty or repeated. */
  header: string[];
  /** Types inferred by csv-inspect from the sample rows only. */
  columns: Column[];
  /** The first data rows, read to type the columns. */
  sample: string[][];
  /** The sample rows followed by the rest of the file. */
  rows: AsyncGenerator<string[]>;
  /** Stop reading and destroy the input (needed when `rows` is never iterated). */
  close(): Promise<void>;
};

/**
 * Read the header and a sample of rows to type the columns, then hand back every data row. Types
 * come from the sample because a stream cannot be read twice; a later value that does not fit
 * stays text wherever it is used.
 */
export async function openCsvTable(input: Readable, sampleSize = 1000, options: CsvReadOptions = {}): Promise<CsvTable> {
  const source = readCsvRows(input, options);
  const inspector = createTableInspector({ previewRows: 0 });
  const first = await source.next();
  const header = first.done ? [] : first.value.map((name) => name.trim());
  if (!first.done) inspector.add(first.value, 1);
  const sample: string[][] = [];
  while (!first.done && sample.length < sampleSize) {
    const next = await source.next();
    if (next.done) break;
    sample.push(next.value);
    inspector.add(next.value, sample.length + 1);
  }
  const { columns } = inspector.finish();
  async function* rows() {
    try {
      yield* sample;
      yield* source;
    } finally {
      await source.return(undefined);
    }
  }
  return {
    header,
    columns,
    sample,
    rows: rows(),
    close: async () => {
      await source.return(undefined);
    },
  };
}

/**
 * Keys for JSON, XML and GeoJSON: an empty header becomes "column_3", a repeated one "name_2", so
 * no value is lost under another column's key. One pass: each name remembers the next suffix to
 * try, so a header repeating one name 30,000 times costs 30,000 steps, not 450 million (issue 10).
 */
export function uniqueNames(header: string[]): string[] {
  const taken = new Set<string>();
  const nextSuffix = new Map<string, number>();
  return header.map((raw, i) => {
    const base = raw.trim() === '' ? `column_${i + 1}` : raw.trim();
    const key = base.toLowerCase();
    let name = base;
    if (taken.has(key)) {
      let n = nextSuffix.get(key) ?? 2;
      // A later header may already hold "name_2": skip suffixes that are taken.
      while (taken.has(`${key}_${n}`)) n++;
      name = `${base}_${n}`;
      nextSuffix.set(key, n + 1);
    }
    taken.add(name.toLowerCase());
    return name;
  });
}
