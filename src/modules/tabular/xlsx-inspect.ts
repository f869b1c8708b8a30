import { createReadStream } from 'node:fs';
import type ExcelJS from 'exceljs';
import { createTableInspector, type TableReport } from './csv-inspect.ts';
import { TableLimitError } from './table-limits.ts';
import { isEntryOrderRace, openXlsx } from './xlsx-reader.ts';

export type XlsxReport = TableReport & {
  /** Every sheet of the workbook, in workbook order. */
  sheetNames: string[];
  /** The sheet that was inspected, if it exists. */
  sheet?: string;
};

export type XlsxInspectOptions = {
  sheet?: string;
  previewRows?: number;
  maxReportedErrors?: number;
  /** A wider header is refused (TableLimitError); a wider data row is read up to one cell more. */
  maxColumns?: number;
  /** Cells read, every sheet included (a sparse row counts up to its last cell), before refusing. */
  maxCells?: number;
};

/**
 * Inspect one sheet of an XLSX file (the first, or `options.sheet`) with exceljs's streaming
 * reader, so a 200 MB workbook is never loaded whole. Rejects if the file is not a readable XLSX.
 * When exceljs trips over its own entry order (see isEntryOrderRace), the file is read again: two
 * more tries make it vanishingly rare.
 */
export async function inspectXlsx(filePath: string, options: XlsxInspectOptions = {}): Promise<XlsxReport> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inspectXlsxOnce(filePath, options);
    } catch (error) {
      if (!isEntryOrderRace(error) || attempt >= 3) throw error;
    }
  }
}

async function inspectXlsxOnce(filePath: string, options: XlsxInspectOptions): Promise<XlsxReport> {
  const xlsx = openXlsx(createReadStream(filePath));
  const table = createTableInspector(options);
  const maxCells = options.maxCells ?? Number.POSITIVE_INFINITY;
  // One cell past the cap is enough to tell a row is too wide, without walking to column XFD.
  const rowLimit = (options.maxColumns ?? Number.POSITIVE_INFINITY) + 1;
  let cellsRead = 0;
  const countCells = (row: ExcelJS.Row) => {
    cellsRead += Math.max(row.cellCount, 1);
    if (cellsRead > maxCells) throw new TableLimitError('too_many_cells', { max: maxCells });
  };
  let inspected: string | undefined;
  let headerLength: number | undefined;

  try {
    for await (const worksheet of xlsx.worksheets()) {
      const name = xlsx.nameOf(worksheet);
      const firstSheet = xlsx.sheetNames()[0];
      // Without workbook.xml read yet, a sheet has no name: take the first one the reader gives.
      const wanted = options.sheet ? name === options.sheet : inspected === undefined && (name ?? firstSheet) === firstSheet;
      if (!wanted || inspected !== undefined) {
        // Reading the rows is what moves the ZIP on to the next entry.
        for await (const row of xlsx.rows(worksheet)) countCells(row);
        continue;
      }
      inspected = name ?? '';
      for await (const row of xlsx.rows(worksheet)) {
        countCells(row);
        const cells = rowCells(row, rowLimit);
        if (headerLength === undefined && cells.length > 0) headerLength = cells.length;
        // Excel does not store trailing empty cells: a short row is only a row with blanks at the end.
        while (headerLength !== undefined && cells.length < headerLength) cells.push('');
        table.add(cells, row.number);
      }
    }
  } finally {
    xlsx.close();
  }

  const report = table.finish();
  const sheetNames = xlsx.sheetNames();
  if (inspected === undefined && options.sheet !== undefined) {
    return { ...report, problems: [{ code: 'sheet_not_found' }], sheetNames };
  }
  return { ...report, sheetNames, sheet: inspected };
}

/**
 * The row's cells as text, without the empty cells after the last value. Past `limit` cells only
 * the last value is added, so the row still reads as too wide without a cell read per column.
 */
export function rowCells(row: ExcelJS.Row, limit = Number.POSITIVE_INFINITY): string[] {
  // row.values is 1-based and sparse.
  const values = row.values as ExcelJS.CellValue[];
  let last = values.length - 1;
  while (last > 0 && (values[last] === null || values[last] === undefined)) last--;
  const cells: string[] = [];
  for (let col = 1; col <= Math.min(last, limit); col++) cells.push(cellText(values[col], row.getCell(col).numFmt));
  if (last > limit) {
    cells.push(cellText(values[last], row.getCell(last).numFmt));
    return cells;
  }
  while (cells.length > 0 && cells[cells.length - 1].trim() === '') cells.pop();
  return cells;
}

/** Dates → ISO dates, rich text → plain text, formulas → their cached result. */
export function cellText(value: ExcelJS.CellValue | undefined, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return isoDate(value);
  if (typeof value === 'string') return value.normalize('NFC');
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if ('richText' in value) return value.richText.map((run) => run.text).join('').normalize('NFC');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = value.result;
    // The streaming reader leaves a date formula's result as an Excel serial number.
    if (typeof result === 'number' && numFmt && isDateFormat(numFmt)) return isoDate(excelSerialToDate(result));
    return typeof result === 'object' && result !== null && 'error' in result
      ? result.error
      : cellText(result as ExcelJS.CellValue, numFmt);
  }
  if ('error' in value) return value.error;
  if ('text' in value) return cellText(value.text as ExcelJS.CellValue);
  return '';
}

function isoDate(date: Date): string {
  const iso = date.toISOString(); // exceljs builds dates in UTC
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

function excelSerialToDate(serial: number): Date {
  // Day 0 is 1899-12-30 once Excel's fictitious 29 Feb 1900 is accounted for.
  return new Date(Math.round((serial - 25569) * 86_400_000));
}

function isDateFormat(numFmt: string): boolean {
  // Drop quoted text and [colour]/[locale] sections, then look for day/month/year codes.
  return /[dmy]/i.test(numFmt.replace(/"[^"]*"|\[[^\]]*\]/g, ''));
}
