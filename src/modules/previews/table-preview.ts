import type { Readable } from 'node:stream';
import { createTableInspector } from '../tabular/csv-inspect.ts';
import { type Column, type CsvReadOptions, readCsvRows } from './csv-rows.ts';

/** The first rows of a table, for the resource page. Column types come from these rows only. */
export type TablePreview = { columns: Column[]; rows: string[][]; truncated: boolean };
export type PreviewOptions = { rows?: number };
export type CsvPreviewOptions = PreviewOptions & CsvReadOptions;

const DEFAULT_ROWS = 100;

/** Reads the header and `rows` data rows (one more to know if there are others), then stops. */
export async function previewCsv(input: Readable, options: CsvPreviewOptions = {}): Promise<TablePreview> {
  const limit = options.rows ?? DEFAULT_ROWS;
  const rows: string[][] = [];
  let header: string[] | undefined;
  let truncated = false;
  // Leaving the loop early destroys the input: a 200 MB file is not read past its first rows.
  for await (const cells of readCsvRows(input, options)) {
    if (!header) header = cells;
    else if (rows.length < limit) rows.push(cells);
    else {
      truncated = true;
      break;
    }
  }
  return { ...tableOf(header ?? [], rows), truncated };
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
  const rows = shown.map((record) => names.map((name) => cellText(record[name])));
  return { ...tableOf(names, rows), truncated: records.length > limit };
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
function tableOf(header: string[], rows: string[][]): { columns: Column[]; rows: string[][] } {
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
  return { columns, rows: padded };
}
