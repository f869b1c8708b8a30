import type { Readable } from 'node:stream';
import { createTableInspector } from '../tabular/csv-inspect.ts';
import { shortCell } from '../tabular/table-limits.ts';
import { type Column, type CsvReadOptions, readCsvRows } from './csv-rows.ts';

/**
 * The first rows and columns of a table, for the resource page. Column types come from these rows
 * only. `truncated`: rows were left out; `columnCount` is the width of the whole table, of which
 * only `columns` are shown.
 */
export type TablePreview = { columns: Column[]; rows: string[][]; truncated: boolean; columnCount: number };
export type PreviewOptions = { rows?: number; columns?: number };
export type CsvPreviewOptions = PreviewOptions & CsvReadOptions;

const DEFAULT_ROWS = 100;
/**
 * A page never carries more than 100 × 100 cells (each cut by shortCell), and stops adding rows
 * past 1 MB of text: a 30,000-column file made a 205 MB resource page (issue 10).
 */
const DEFAULT_COLUMNS = 100;
const MAX_PREVIEW_CHARS = 1024 * 1024;

/** Reads the header and `rows` data rows (one more to know if there are others), then stops. */
export async function previewCsv(input: Readable, options: CsvPreviewOptions = {}): Promise<TablePreview> {
  const limit = options.rows ?? DEFAULT_ROWS;
  const width = options.columns ?? DEFAULT_COLUMNS;
  const rows: string[][] = [];
  let header: string[] | undefined;
  let truncated = false;
  let chars = 0;
  // Leaving the loop early destroys the input: a 200 MB file is not read past its first rows.
  for await (const cells of readCsvRows(input, options)) {
    if (!header) {
      header = cells;
      continue;
    }
    const shown = shortCells(cells, width);
    chars += shown.reduce((sum, cell) => sum + cell.length, 0);
    if (rows.length >= limit || (rows.length > 0 && chars > MAX_PREVIEW_CHARS)) {
      truncated = true;
      break;
    }
    rows.push(shown);
  }
  return { ...tableOf(header ?? [], rows, width), truncated };
}

/** The first `width` cells, each cut short. */
function shortCells(cells: string[], width: number): string[] {
  return cells.slice(0, width).map(shortCell);
}

export type JsonPreviewError = { error: 'too_large' | 'invalid_json' | 'not_tabular' };
export type JsonPreviewOptions = PreviewOptions & { maxBytes?: number };

/** JSON has to be parsed whole, so only files up to this size are previewed. */
const DEFAULT_MAX_JSON_BYTES = 5 * 1024 * 1024;

/**
 * A JSON file that is an array of flat objects, or `{ "data": [...] }`. Columns are the union of the
 * keys of the previewed rows, in the order they first appear; nested values are shown as JSON.
 */
export async function previewJson(
  input: Readable,
  options: JsonPreviewOptions = {},
): Promise<TablePreview | JsonPreviewError> {
  const limit = options.rows ?? DEFAULT_ROWS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_JSON_BYTES;
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of input) {
    length += chunk.length;
    if (length > maxBytes) return { error: 'too_large' }; // leaving the loop destroys the input
    chunks.push(Buffer.from(chunk));
  }
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8').decode(Buffer.concat(chunks))); // drops a BOM
  } catch {
    return { error: 'invalid_json' };
  }
  const records = Array.isArray(data) ? data : isObject(data) && Array.isArray(data.data) ? data.data : undefined;
  if (!records?.every(isObject)) return { error: 'not_tabular' };

  const shown = (records as Array<Record<string, unknown>>).slice(0, limit);
  const names: string[] = [];
  const known = new Set<string>();
  for (const record of shown) {
    for (const key of Object.keys(record)) {
      if (known.has(key)) continue;
      known.add(key);
      names.push(key);
    }
  }
  const width = options.columns ?? DEFAULT_COLUMNS;
  const rows = shown.map((record) => shortCells(names.map((name) => cellText(record[name])), width));
  return { ...tableOf(names, rows, width), truncated: records.length > limit };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Types by csv-inspect's rules, so a preview and the inspection report agree. */
function tableOf(fullHeader: string[], rows: string[][], width: number): { columns: Column[]; rows: string[][]; columnCount: number } {
  const header = shortCells(fullHeader, width);
  const inspector = createTableInspector({ previewRows: 0 });
  if (header.length > 0) inspector.add(header, 1);
  rows.forEach((cells, i) => {
    inspector.add(cells, i + 2);
  });
  const { columns } = inspector.finish();
  // Short rows are padded so the table lines up; long ones keep their extra cells.
  const padded = rows.map((cells) =>
    cells.length < header.length ? [...cells, ...Array(header.length - cells.length).fill('')] : cells,
  );
  return { columns, rows: padded, columnCount: fullHeader.length };
}
