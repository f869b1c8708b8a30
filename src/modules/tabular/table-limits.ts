/**
 * How large an uploaded table may be before the portal refuses it (issue 10: one file froze the
 * server, another exhausted its memory). The column cap is a setting DOIT can change; the others
 * guard against XLSX "bombs" (OWASP file upload guidance: cap entry sizes, the total decompressed
 * size and the compression ratio before parsing, then count shared strings and cells).
 */
export type TableLimits = {
  /** Columns of the header; a wider table is refused at upload (setting `maxTableColumns`). */
  maxColumns: number;
  /** Cells of an XLSX (every sheet), counted in its XML before exceljs reads it, and while it does. */
  maxCells: number;
  /** Entries of sharedStrings.xml: exceljs keeps them all in memory. */
  maxSharedStrings: number;
  /** ZIP entries of an XLSX (a workbook has a few dozen). */
  maxZipEntries: number;
  /** Decompressed bytes of one entry, and of all entries together. */
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Decompressed / compressed size of an entry above 1 MB; real sheets stay well below. */
  maxCompressionRatio: number;
};

export const defaultTableLimits: TableLimits = {
  maxColumns: 1_000,
  maxCells: 20_000_000,
  maxSharedStrings: 1_000_000,
  maxZipEntries: 10_000,
  maxEntryBytes: 1024 ** 3,
  maxTotalBytes: 1024 ** 3,
  maxCompressionRatio: 200,
};

export type TableLimitCode = 'too_many_columns' | 'too_many_cells' | 'too_many_shared_strings' | 'xlsx_too_large' | 'xlsx_compression_ratio' | 'xlsx_damaged';

/** A table beyond a limit. `params` fill the officer's sentence (uploads.limit_<code>). */
export class TableLimitError extends Error {
  override readonly name = 'TableLimitError';
  constructor(
    readonly code: TableLimitCode,
    readonly params: Record<string, number> = {},
  ) {
    super(`table limit: ${code} ${JSON.stringify(params)}`);
  }
}

/** Longest cell text a page shows (previews, the inspection report); the download has it whole. */
export const MAX_SHOWN_CELL_CHARS = 300;

export function shortCell(cell: string): string {
  return cell.length > MAX_SHOWN_CELL_CHARS ? `${cell.slice(0, MAX_SHOWN_CELL_CHARS)}…` : cell;
}
