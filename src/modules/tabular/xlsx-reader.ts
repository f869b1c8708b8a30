import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * exceljs's streaming reader parses ZIP entries concurrently and, under load, can meet a worksheet
 * before workbook.xml ("Cannot read properties of undefined (reading 'sheets')"). The file is fine:
 * read it again. Seen once in CI.
 */
export function isEntryOrderRace(error: unknown): boolean {
  return error instanceof TypeError && /reading 'sheets'/.test(error.message);
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

/**
 * An XLSX read with exceljs's streaming reader, so a 200 MB workbook is never loaded whole. exceljs
 * pipes its input without listening for its errors: a read error would be an uncaught exception (the
 * process ends) and the reading would wait forever. Here it fails the reading instead.
 */
export function openXlsx(input: Readable) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    worksheets: 'emit',
    // Styles carry the number formats that tell a date from a number.
    styles: 'cache',
    hyperlinks: 'ignore',
  });
  const failed = new Promise<never>((_, reject) => input.once('error', reject));
  failed.catch(() => {});
  return {
    /** Each worksheet in file order; its rows must be read (or skipped) to reach the next one. */
    worksheets: () => untilFailed(workbook, failed),
    rows: (worksheet: ExcelJS.stream.xlsx.WorksheetReader) => untilFailed(worksheet as AsyncIterable<ExcelJS.Row>, failed),
    /** The sheet names, known once workbook.xml has been read (usually before the first sheet). */
    sheetNames(): string[] {
      const model = (workbook as unknown as { model?: { sheets?: Array<{ name: string }> } }).model;
      return (model?.sheets ?? []).map((sheet) => sheet.name);
    },
    /** A worksheet's name, when exceljs knows it yet. */
    nameOf: (worksheet: ExcelJS.stream.xlsx.WorksheetReader): string | undefined => (worksheet as unknown as { name?: string }).name,
    close: () => input.destroy(),
  };
}
