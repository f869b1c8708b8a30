import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { cellText, isEntryOrderRace } from '../tabular/xlsx-inspect.ts';

/**
 * The first sheet of an XLSX, row by row, with exceljs's streaming reader: a big workbook is never
 * loaded whole, and leaving the loop early stops reading. Cells are text as xlsx-inspect reads them
 * (dates as ISO dates, formulas as their cached result, never as formulas).
 */
export async function* readXlsxRows(input: Readable): AsyncGenerator<string[]> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    worksheets: 'emit',
    styles: 'cache',
    hyperlinks: 'ignore',
  });
  // exceljs pipes the input without listening for its errors: a read error would be an uncaught
  // exception (the process ends) and the workbook would wait forever. It fails the reading instead.
  const failed = new Promise<never>((_, reject) => input.once('error', reject));
  failed.catch(() => {});
  let done = false;
  try {
    for await (const worksheet of untilFailed(workbook, failed)) {
      const name = (worksheet as unknown as { name?: string }).name;
      const firstSheet = sheetNamesOf(workbook)[0];
      if (done || (name !== undefined && firstSheet !== undefined && name !== firstSheet)) {
        // Reading the rows is what moves the ZIP on to the next entry.
        for await (const _row of untilFailed(worksheet, failed)) {
        }
        continue;
      }
      let headerLength: number | undefined;
      for await (const row of untilFailed(worksheet, failed)) {
        const cells = rowCells(row as ExcelJS.Row);
        if (cells.length === 0) continue;
        headerLength ??= cells.length;
        while (cells.length < headerLength) cells.push('');
        yield cells;
      }
      done = true;
      return;
    }
  } finally {
    input.destroy();
  }
}

/** The items of `iterable`, until `failed` rejects; leaving early lets the iterable clean up. */
async function* untilFailed<T>(iterable: AsyncIterable<T>, failed: Promise<never>): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), failed]);
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) void iterator.return?.()?.catch(() => {});
  }
}

function sheetNamesOf(workbook: ExcelJS.stream.xlsx.WorkbookReader): string[] {
  const model = (workbook as unknown as { model?: { sheets?: Array<{ name: string }> } }).model;
  return (model?.sheets ?? []).map((sheet) => sheet.name);
}

function rowCells(row: ExcelJS.Row): string[] {
  const cells: string[] = [];
  const values = row.values as ExcelJS.CellValue[]; // 1-based and sparse
  for (let col = 1; col < values.length; col++) cells.push(cellText(values[col], row.getCell(col).numFmt));
  while (cells.length > 0 && cells[cells.length - 1].trim() === '') cells.pop();
  return cells;
}

/**
 * The first sheet as a UTF-8, comma-separated CSV stream, so previews, charts, maps and conversions
 * read an XLSX exactly as they read a CSV. Destroying the stream stops reading the workbook.
 * `open` gives the file anew: when exceljs trips over its own entry order (see isEntryOrderRace)
 * before the first row, the workbook is read again from the start.
 */
export function xlsxAsCsv(open: () => Promise<Readable>): Readable {
  async function* lines() {
    for (let attempt = 1; ; attempt++) {
      let started = false;
      try {
        for await (const cells of readXlsxRows(await open())) {
          started = true;
          yield `${Papa.unparse([cells], { newline: '\r\n' })}\r\n`;
        }
        return;
      } catch (error) {
        if (started || !isEntryOrderRace(error) || attempt >= 3) throw error;
      }
    }
  }
  return Readable.from(lines(), { objectMode: false });
}
