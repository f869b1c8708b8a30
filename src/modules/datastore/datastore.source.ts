import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Papa from 'papaparse';
import { readHead, replay, sniffCsvLayout } from '../tabular/csv-stream.ts';
import { createUtf8DecodeStream, detectEncoding } from '../tabular/encoding.ts';
import { rowCells } from '../tabular/xlsx-inspect.ts';
import { openXlsx } from '../tabular/xlsx-reader.ts';

/** A data row of a file and its 1-based row number (the header is row 1), as inspection counts them. */
export interface SourceRow {
  cells: string[];
  row: number;
}

const sniffBytes = 64 * 1024;

/**
 * The data rows of a stored CSV (UTF-8 as stored; another encoding is decoded all the same), blank
 * rows and the header left out. Row numbers count every record, so they match the upload report.
 */
export async function* csvSourceRows(input: Readable, delimiter: string | undefined): AsyncGenerator<SourceRow> {
  const { head, rest } = await readHead(input, sniffBytes);
  const encoding = detectEncoding(head);
  // A UTF-8 file needs no normalising pass (uploads are stored in NFC): only whole characters.
  const text = encoding === 'utf-8' ? new PassThrough() : createUtf8DecodeStream(encoding);
  text.setEncoding('utf8');
  pipeline(Readable.from(replay(head, rest)), text).catch(() => {}); // errors reach parseCsvRows through `text`
  const sample = head.toString('utf8');
  const layout = sniffCsvLayout(sample);
  let row = 0;
  let headerSeen = false;
  try {
    for await (const cells of csvRecords(text, delimiter ?? layout.delimiter, layout.newline)) {
      row++;
      if (cells.length === 1 && cells[0].trim() === '') continue;
      if (!headerSeen) {
        headerSeen = true;
        continue;
      }
      yield { cells, row };
    }
  } finally {
    input.destroy();
  }
}

/**
 * Records of a text stream, parsed chunk by chunk with papaparse's own parser: each chunk is parsed
 * with the unfinished last record held back and put in front of the next chunk (what papaparse's
 * streamers do). Its Node-stream mode waits on 3 ms timers between rows: ~0.5 MB/s, 40× slower.
 */
async function* csvRecords(text: AsyncIterable<string>, delimiter: string, newline: '\r\n' | '\r' | '\n'): AsyncGenerator<string[]> {
  const parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' });
  let partial = '';
  for await (const chunk of text) {
    const aggregate = partial + chunk;
    const results = parser.parse(aggregate, 0, true);
    partial = aggregate.substring(results.meta.cursor);
    yield* results.data as string[][];
  }
  if (partial !== '') yield* parser.parse(partial, 0, false).data as string[][];
}

/** The data rows of an XLSX's first sheet, as inspection reads them (trailing empty cells dropped). */
export async function* xlsxSourceRows(input: Readable): AsyncGenerator<SourceRow> {
  const xlsx = openXlsx(input);
  let headerSeen = false;
  try {
    for await (const worksheet of xlsx.worksheets()) {
      const name = xlsx.nameOf(worksheet);
      const firstSheet = xlsx.sheetNames()[0];
      if (name !== undefined && firstSheet !== undefined && name !== firstSheet) {
        // Reading the rows is what moves the ZIP on to the next entry.
        for await (const _row of xlsx.rows(worksheet)) {
        }
        continue;
      }
      for await (const row of xlsx.rows(worksheet)) {
        const cells = rowCells(row);
        if (cells.length === 0) continue;
        if (!headerSeen) {
          headerSeen = true;
          continue;
        }
        yield { cells, row: row.number };
      }
      return;
    }
  } finally {
    xlsx.close();
  }
}
