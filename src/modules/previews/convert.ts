import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { type Column, type CsvReadOptions, openCsvTable, uniqueNames } from './csv-rows.ts';
import { guessNumberStyle, parseBoolean, parseNumber } from './numbers.ts';
import { looksLikeFormula } from '../tabular/formula.ts';
import { escapeXml, forbiddenInXml } from '../../lib/xml.ts';

/**
 * Downloads of a stored UTF-8 CSV in other formats, streamed row by row: a 200 MB file never sits
 * in memory, and writing waits for the client (pipeline, or 'drain' for exceljs).
 */

export const conversionFormats = {
  csv: { mediaType: 'text/csv', extension: 'csv' },
  json: { mediaType: 'application/json', extension: 'json' },
  xml: { mediaType: 'application/xml', extension: 'xml' },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
} as const;
export type ConversionFormat = keyof typeof conversionFormats;

/** `rows` counts data rows written (the header excluded). */
export type ConversionResult = { rows: number; truncated?: boolean };

// ---------------------------------------------------------------------------------------------
// CSV


/**
 * OWASP CSV injection: a cell a spreadsheet could run as a formula gets a leading "'". Papaparse's
 * `escapeFormulae: true` is not used: it quotes "-12.5" too (every parsed cell is a string), which
 * turns negative numbers into text, and its pattern (`^[=+\-@\t\r].*$` without the s flag) misses
 * a formula followed by a line break. Plain numbers (-12.5, +84912345678, -1.234,5) and a lone "-"
 * (the usual "no data" mark) cannot run anything, so they are left as they are.
 */
export function neutraliseFormula(cell: string): string {
  return looksLikeFormula(cell) ? `'${cell}` : cell;
}

export type CsvExportOptions = CsvReadOptions & {
  /** A UTF-8 BOM, without which Excel reads Vietnamese as Windows-1258 mojibake. Default true. */
  bom?: boolean;
};

/** Re-emit the CSV with formula cells neutralised and RFC 4180 line breaks (CRLF). */
export async function csvToCsv(
  input: Readable,
  output: Writable,
  options: CsvExportOptions = {},
): Promise<ConversionResult> {
  const table = await destroyOnError(output, () => openTyped(input, options));
  const line = (cells: string[]) => `${Papa.unparse([cells.map(neutraliseFormula)], { newline: '\r\n' })}\r\n`;
  let rows = 0;
  async function* lines() {
    if (options.bom ?? true) yield '\uFEFF';
    if (table.header.length > 0) yield line(table.header);
    for await (const cells of table.rows) {
      rows++;
      yield line(typedText(table.readers, cells));
    }
  }
  await destroyOnError(output, () => pipeline(batched(lines()), output));
  return { rows };
}

// ---------------------------------------------------------------------------------------------
// Typed values for JSON and XLSX

type CellValue = string | number | boolean | null;

/**
 * How each column's cells are converted, from the types csv-inspect infers on the first rows:
 * integer and number columns become numbers (read in the column's Vietnamese or English style),
 * boolean columns true/false, empty cells of those columns null. Dates stay text as written
 * (dd/mm/yyyy is not ISO, and guessing would be wrong for some files). A cell that does not fit
 * its column's type — the sample only covers the first rows — stays a string.
 */
function typedReaders(columns: Column[], sample: string[][]): Array<(cell: string) => CellValue> {
  return columns.map((column, i) => {
    if (column.type === 'integer' || column.type === 'number') {
      const style = guessNumberStyle(sample.map((cells) => cells[i] ?? ''));
      return (cell) => {
        if (cell.trim() === '') return null;
        const value = parseNumber(cell, style);
        // Beyond 2^53 a number loses digits (long codes): keep the text.
        return value !== undefined && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? value : cell;
      };
    }
    if (column.type === 'boolean') return (cell) => (cell.trim() === '' ? null : (parseBoolean(cell) ?? cell));
    return (cell) => cell;
  });
}

/**
 * The cells of a row for the text formats (CSV, XML): numbers written as JSON and XLSX hold them
 * ("1.234,5" → "1234.5"), so every structured download agrees; other cells as the file wrote them.
 */
function typedText(readers: Array<(cell: string) => CellValue>, cells: string[]): string[] {
  return cells.map((cell, i) => {
    const value = readers[i] ? readers[i](cell) : cell;
    return typeof value === 'number' ? String(value) : cell;
  });
}

const SAMPLE_ROWS = 1000;

async function openTyped(input: Readable, options: CsvReadOptions) {
  const table = await openCsvTable(input, SAMPLE_ROWS, options);
  return { ...table, readers: typedReaders(table.columns, table.sample) };
}

// ---------------------------------------------------------------------------------------------
// JSON

/**
 * A JSON array of objects keyed by the header (empty or repeated names made unique), written as
 * it is read. Keys keep the file's order, also for headers like "2020" that an object would move
 * first. Cells beyond the header are dropped; missing cells are empty.
 */
export async function csvToJson(input: Readable, output: Writable, options: CsvReadOptions = {}): Promise<ConversionResult> {
  const table = await destroyOnError(output, () => openTyped(input, options));
  const keys = uniqueNames(table.header).map((name) => `${JSON.stringify(name)}:`);
  let rows = 0;
  async function* text() {
    yield '[';
    for await (const cells of table.rows) {
      const fields = keys.map((key, i) => key + JSON.stringify(table.readers[i](cells[i] ?? '')));
      yield `${rows++ === 0 ? '\n' : ',\n'}{${fields.join(',')}}`;
    }
    yield '\n]\n';
  }
  await destroyOnError(output, () => pipeline(batched(text()), output));
  return { rows };
}

// ---------------------------------------------------------------------------------------------
// XML

/** `<dataset><row><field name="tên trường">…</field>…</row>…</dataset>`, one row per line. */
export async function csvToXml(input: Readable, output: Writable, options: CsvReadOptions = {}): Promise<ConversionResult> {
  const table = await destroyOnError(output, () => openTyped(input, options));
  const opening = uniqueNames(table.header).map((name) => `<field name="${escapeXml(name)}">`);
  let rows = 0;
  async function* text() {
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<dataset>\n';
    for await (const cells of table.rows) {
      rows++;
      const text = typedText(table.readers, cells);
      yield `<row>${opening.map((open, i) => `${open}${escapeXml(text[i] ?? '')}</field>`).join('')}</row>\n`;
    }
    yield '</dataset>\n';
  }
  await destroyOnError(output, () => pipeline(batched(text()), output));
  return { rows };
}

// ---------------------------------------------------------------------------------------------
// XLSX

/** Excel's limits: 1,048,576 rows per sheet (header included), 16,384 columns, 32,767 characters per cell. */
const XLSX_MAX_DATA_ROWS = 1_048_575;
const XLSX_MAX_COLUMNS = 16_384;
const XLSX_MAX_CELL_CHARS = 32_767;

/**
 * One sheet, header frozen. Numbers go in as numbers; every other value as a plain string cell,
 * which Excel never evaluates, so "=1+1" stays text without a "'" (exceljs only writes a formula
 * for a { formula } object). The header is not bold: that needs `useStyles`, which costs a style
 * lookup per cell. Rows and columns beyond Excel's limits are not written (exceljs would throw on
 * column 16,385) and `truncated` says so.
 */
export async function csvToXlsx(input: Readable, output: Writable, options: CsvReadOptions = {}): Promise<ConversionResult> {
  const table = await destroyOnError(output, () => openTyped(input, options));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Dữ liệu', { views: [{ state: 'frozen', ySplit: 1 }] });
  const toCell = (value: CellValue) => (typeof value === 'string' ? xlsxText(value) : value);
  const readers = table.readers.slice(0, XLSX_MAX_COLUMNS);
  let rows = 0;
  let truncated = table.header.length > XLSX_MAX_COLUMNS;
  try {
    sheet.addRow(table.header.slice(0, XLSX_MAX_COLUMNS).map(xlsxText)).commit();
    for await (const cells of table.rows) {
      if (rows === XLSX_MAX_DATA_ROWS) {
        truncated = true;
        break;
      }
      sheet.addRow(readers.map((read, i) => toCell(read(cells[i] ?? '')))).commit();
      if (++rows % 200 === 0) await xlsxBackpressure(sheet, output);
    }
    sheet.commit();
    await workbook.commit();
  } catch (error) {
    await table.close();
    output.destroy();
    throw error;
  }
  return truncated ? { rows, truncated } : { rows };
}

/**
 * exceljs ignores backpressure: a committed row goes to the sheet's buffer, which writes on to the
 * zip entry's stream without looking at write()'s answer, so a slow client (or merely zlib) lets
 * the whole sheet pile up in memory (~50 MB per 300,000 short rows, measured). We wait for that
 * entry stream ourselves. It is an exceljs internal (`stream.pipes`, exceljs 4.4, a readable-stream
 * PassThrough), hence the guarded access and the fallback to the output.
 */
async function xlsxBackpressure(sheet: ExcelJS.Worksheet, output: Writable): Promise<void> {
  const internal = sheet as unknown as { stream?: { pipes?: unknown[] } };
  const entry = internal.stream?.pipes?.[0] as LegacyWritable | undefined;
  const target = entry && typeof entry.once === 'function' ? entry : output;
  if (needsDrain(target)) await once(target, 'drain');
}

type LegacyWritable = Writable & { _writableState?: { needDrain?: boolean } };

function needsDrain(stream: LegacyWritable): boolean {
  return stream.writableNeedDrain ?? stream._writableState?.needDrain ?? false;
}

/** Control characters make Excel "repair" the file; over-long cells are cut to Excel's limit. */
function xlsxText(text: string): string {
  return text.replace(forbiddenInXml, '').slice(0, XLSX_MAX_CELL_CHARS);
}

// ---------------------------------------------------------------------------------------------

/**
 * A failed conversion destroys the output, so an HTTP response is aborted rather than left open
 * (pipeline does this itself, but not for an error while reading the header). Without the error:
 * the caller gets it from the rejected promise, and an 'error' event nobody listens to would crash.
 */
async function destroyOnError<T>(output: Writable, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    output.destroy();
    throw error;
  }
}

/** Small strings joined into ~64 KB writes: far fewer calls for the same backpressure. */
async function* batched(parts: AsyncIterable<string>): AsyncGenerator<string> {
  let buffer = '';
  for await (const part of parts) {
    buffer += part;
    if (buffer.length >= 64 * 1024) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer !== '') yield buffer;
}
