import { StringDecoder } from 'node:string_decoder';
import { PassThrough, type Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createUtf8DecodeStream, detectEncoding, type TextEncodingName } from './encoding.ts';
import { looksLikeFormula } from './formula.ts';
import { type CsvDelimiter, parseCsvRows, readHead, replay, sniffCsvLayout } from './csv-stream.ts';
import { createPiiScanner, type PiiFlag } from './pii-scan.ts';
import { TableLimitError } from './table-limits.ts';

// ---------------------------------------------------------------------------------------------
// The report shared by CSV and XLSX inspection. Problems are machine codes: the app turns them into
// Vietnamese or English sentences.

export type ColumnType = 'integer' | 'number' | 'date' | 'boolean' | 'text' | 'empty';

export type TableProblemCode =
  | 'empty_file'
  | 'no_rows'
  | 'empty_header'
  | 'duplicate_header'
  | 'wrong_column_count'
  | 'encoding_fallback'
  | 'sheet_not_found'
  /** Rows with no value, left out of the data (actual: how many). */
  | 'blank_rows'
  /** Cells a spreadsheet could run as formulas (actual: how many; row, column: the first). */
  | 'formula_cells';

export type TableProblem = {
  code: TableProblemCode;
  /** 1-based row of the file, the header being row 1 (for a CSV: the record number, which is the
   *  line number unless a quoted cell spans several lines). */
  row?: number;
  column?: string;
  /** 1-based column position, for headers that have no usable name. */
  columnIndex?: number;
  expected?: number;
  actual?: number;
};

export type TableReport = {
  columns: Array<{ name: string; type: ColumnType }>;
  /** Data rows, header and blank rows excluded. */
  rowCount: number;
  previewRows: string[][];
  /** At most maxReportedErrors wrong_column_count problems are listed; this is their total. */
  wrongColumnCountTotal: number;
  problems: TableProblem[];
  piiFlags: PiiFlag[];
};

export type CsvReport = TableReport & { encoding: TextEncodingName; delimiter: CsvDelimiter };
export type CsvInspectOptions = {
  previewRows?: number;
  maxReportedErrors?: number;
  /** A wider header throws TableLimitError('too_many_columns') before any row is looked at. */
  maxColumns?: number;
};

// ---------------------------------------------------------------------------------------------
// Column type inference: a column has a type only if every non-empty value fits it.

const integerPattern = /^[+-]?(0|[1-9]\d*)$/; // a leading zero (mã số 0790…) is a code, not a number
const numberPatterns = [
  /^[+-]?\d+[.,]\d+$/, // 1234.5 or 1234,5
  /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/, // Vietnamese grouping 1.234.567,5
  /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/, // English grouping 1,234,567.5
];
const booleanWords = new Set(['có', 'không', 'true', 'false', 'x', 'đúng', 'sai', 'yes', 'no']);

function isDate(value: string): boolean {
  let match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (match) return validDayMonth(Number(match[1]), Number(match[2]));
  match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match) return validDayMonth(Number(match[3]), Number(match[2]));
  match = /^(\d{1,2})\/(\d{4})$/.exec(value);
  return match ? validDayMonth(1, Number(match[1])) : false;
}

function validDayMonth(day: number, month: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

type TypeTally = { nonEmpty: number; integer: boolean; number: boolean; date: boolean; boolean: boolean };

function tallyValue(tally: TypeTally, raw: string): void {
  const value = raw.trim();
  if (value === '') return;
  tally.nonEmpty++;
  if (tally.integer && !integerPattern.test(value)) tally.integer = false;
  if (tally.number && !integerPattern.test(value) && !numberPatterns.some((p) => p.test(value))) {
    tally.number = false;
  }
  if (tally.date && !isDate(value)) tally.date = false;
  if (tally.boolean && !booleanWords.has(value.toLowerCase())) tally.boolean = false;
}

function typeOf(tally: TypeTally): ColumnType {
  if (tally.nonEmpty === 0) return 'empty';
  if (tally.integer) return 'integer';
  if (tally.number) return 'number';
  if (tally.date) return 'date';
  if (tally.boolean) return 'boolean';
  return 'text';
}

// ---------------------------------------------------------------------------------------------
// Row-by-row inspection, fed by the CSV parser or the XLSX reader. Holds only per-column counters,
// the preview and the first problems, whatever the size of the file.

export type TableInspector = {
  /** `row` is the 1-based row number in the file; the first non-blank row is the header. */
  add(cells: string[], row: number): void;
  finish(): TableReport;
};

export function createTableInspector(options: CsvInspectOptions = {}): TableInspector {
  const previewLimit = options.previewRows ?? 20;
  const maxReportedErrors = options.maxReportedErrors ?? 20;
  const maxColumns = options.maxColumns ?? Number.POSITIVE_INFINITY;
  let header: string[] | undefined;
  let tallies: TypeTally[] = [];
  let pii: ReturnType<typeof createPiiScanner> | undefined;
  const problems: TableProblem[] = [];
  const previewRows: string[][] = [];
  let rowCount = 0;
  let wrongColumnCountTotal = 0;
  // A lone empty line is only counted once a row follows it: a file's final newline is not a row.
  let blankRows = 0;
  let pendingBlankLines = 0;
  let formulaCells = 0;
  let firstFormula: { row: number; column: string } | undefined;

  function readHeader(cells: string[]): string[] {
    const names = cells.map((cell) => cell.trim());
    const seen = new Set<string>();
    names.forEach((name, i) => {
      if (name === '') problems.push({ code: 'empty_header', columnIndex: i + 1 });
      else if (seen.has(name.toLowerCase())) {
        problems.push({ code: 'duplicate_header', column: name, columnIndex: i + 1 });
      } else seen.add(name.toLowerCase());
    });
    return names;
  }

  return {
    add(cells, row) {
      // Blank lines (and rows of empty cells) carry nothing; skipping them keeps a trailing
      // newline or an empty Excel row from counting as a row of the wrong length.
      if (cells.every((cell) => cell.trim() === '')) {
        if (header && cells.length > 1) blankRows++;
        else if (header) pendingBlankLines++;
        return;
      }
      blankRows += pendingBlankLines;
      pendingBlankLines = 0;
      if (!header) {
        // Every row costs work per column: a 1 MB header of 250,000 columns blocked the server 11 s.
        if (cells.length > maxColumns) throw new TableLimitError('too_many_columns', { max: maxColumns });
        header = readHeader(cells);
        tallies = header.map(() => ({ nonEmpty: 0, integer: true, number: true, date: true, boolean: true }));
        pii = createPiiScanner(header);
        return;
      }
      rowCount++;
      if (cells.length !== header.length) {
        wrongColumnCountTotal++;
        if (wrongColumnCountTotal <= maxReportedErrors) {
          problems.push({ code: 'wrong_column_count', row, expected: header.length, actual: cells.length });
        }
      }
      for (let i = 0; i < tallies.length; i++) tallyValue(tallies[i], cells[i] ?? '');
      for (let i = 0; i < cells.length; i++) {
        if (!looksLikeFormula(cells[i])) continue;
        formulaCells++;
        firstFormula ??= { row, column: header[i] || String(i + 1) };
      }
      pii?.add(cells);
      if (previewRows.length < previewLimit) previewRows.push(cells);
    },

    finish() {
      if (!header) problems.push({ code: 'empty_file' });
      else if (rowCount === 0) problems.push({ code: 'no_rows' });
      if (blankRows > 0) problems.push({ code: 'blank_rows', actual: blankRows });
      if (firstFormula) problems.push({ code: 'formula_cells', actual: formulaCells, ...firstFormula });
      return {
        columns: (header ?? []).map((name, i) => ({ name, type: typeOf(tallies[i]) })),
        rowCount,
        previewRows,
        wrongColumnCountTotal,
        problems,
        piiFlags: pii?.flags() ?? [],
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Bytes read before parsing, to guess the encoding and the delimiter. */
const SNIFF_BYTES = 64 * 1024;

/** Inspect a CSV stream in one pass, holding only the head of the file in memory. */
export function inspectCsv(input: Readable, options: CsvInspectOptions = {}): Promise<CsvReport> {
  return runCsv(input, undefined, options);
}

/**
 * Inspect a CSV and, in the same pass, write it to `output` as NFC UTF-8 without a BOM, so the
 * portal can keep a normalised copy next to the original. `output` is ended when done.
 */
export function inspectAndNormaliseCsv(
  input: Readable,
  output: Writable,
  options: CsvInspectOptions = {},
): Promise<CsvReport> {
  return runCsv(input, output, options);
}

async function runCsv(input: Readable, output: Writable | undefined, options: CsvInspectOptions): Promise<CsvReport> {
  const { head, rest } = await readHead(input, SNIFF_BYTES);
  const encoding = detectEncoding(head);
  const { delimiter, newline } = guessLayout(head, encoding);
  const table = createTableInspector(options);
  let record = 0;

  const text = new PassThrough();
  text.setEncoding('utf8');
  const piping = pipeline(replay(head, rest), createUtf8DecodeStream(encoding), toText(output), text);
  const parsing = (async () => {
    // Delimiter and newline come from the sniffed head: papaparse would guess them from its first
    // chunk, which may be a few bytes ending in the "\r" of a "\r\n".
    for await (const cells of parseCsvRows(text, { delimiter, newline })) table.add(cells, ++record);
  })();
  try {
    await Promise.all([piping, parsing]);
  } catch (error) {
    output?.destroy(); // toText ends it only on success
    throw error;
  }

  const report = table.finish();
  if (encoding === 'windows-1258') report.problems.unshift({ code: 'encoding_fallback' });
  return { encoding, delimiter, ...report };
}

function guessLayout(head: Buffer, encoding: TextEncodingName) {
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  return sniffCsvLayout(new TextDecoder(label).decode(head));
}

/**
 * UTF-8 bytes → whole-character strings for papaparse (which would split a character cut between
 * two Buffers), copying the bytes to `output` on the way, with its backpressure respected.
 */
function toText(output: Writable | undefined): Transform {
  const decoder = new StringDecoder('utf8');
  const waitFor = (event: 'drain' | 'finish', callback: (error?: Error) => void) => {
    const onError = (error: Error) => {
      output?.off(event, onDone);
      callback(error);
    };
    const onDone = () => {
      output?.off('error', onError);
      callback();
    };
    output?.once(event, onDone).once('error', onError);
  };
  // An empty string would reach papaparse as a chunk of its own; push nothing instead.
  const orNothing = (text: string) => (text === '' ? undefined : text);
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, callback) {
      const text = orNothing(decoder.write(chunk));
      if (!output || output.write(chunk)) return callback(null, text);
      waitFor('drain', (error) => callback(error, text));
    },
    flush(callback) {
      const text = orNothing(decoder.end());
      if (!output) return callback(null, text);
      output.end();
      waitFor('finish', (error) => callback(error, text));
    },
  });
}
