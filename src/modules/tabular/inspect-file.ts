import { createReadStream, createWriteStream } from 'node:fs';
import { type CsvReport, inspectAndNormaliseCsv } from './csv-inspect.ts';
import { defaultTableLimits, type TableLimits } from './table-limits.ts';
import { guardXlsx } from './xlsx-guard.ts';
import { inspectXlsx, type XlsxReport } from './xlsx-inspect.ts';

/**
 * The inspection of an upload waiting in staging, as one call so it can run in a worker thread:
 * a CSV is read once and written as NFC UTF-8 to `normalisedPath`; an XLSX passes the bomb checks
 * (xlsx-guard.ts) before exceljs opens it. Limits throw TableLimitError; an XLSX exceljs cannot
 * read throws XlsxUnreadableError.
 */
export type InspectFileInput = {
  format: 'CSV' | 'TSV' | 'XLSX';
  stagedPath: string;
  normalisedPath: string;
  limits?: Partial<TableLimits>;
};

export class XlsxUnreadableError extends Error {
  override readonly name = 'XlsxUnreadableError';
}

export async function inspectStagedFile(input: InspectFileInput): Promise<CsvReport | XlsxReport> {
  const limits = { ...defaultTableLimits, ...input.limits };
  if (input.format === 'XLSX') {
    await guardXlsx(input.stagedPath, limits);
    try {
      return await inspectXlsx(input.stagedPath, { maxColumns: limits.maxColumns, maxCells: limits.maxCells });
    } catch (error) {
      if (error instanceof Error && error.name === 'TableLimitError') throw error;
      throw new XlsxUnreadableError(error instanceof Error ? error.message : String(error));
    }
  }
  return inspectAndNormaliseCsv(createReadStream(input.stagedPath), createWriteStream(input.normalisedPath), { maxColumns: limits.maxColumns });
}
