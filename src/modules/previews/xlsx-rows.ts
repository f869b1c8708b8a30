import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { defaultTableLimits, TableLimitError } from '../tabular/table-limits.ts';
import { rowCells } from '../tabular/xlsx-inspect.ts';
import { isEntryOrderRace, openXlsx } from '../tabular/xlsx-reader.ts';

/**
 * The first sheet of an XLSX, row by row, with exceljs's streaming reader: a big workbook is never
 * loaded whole, and leaving the loop early stops reading. Cells are text as xlsx-inspect reads them
 * (dates as ISO dates, formulas as their cached result, never as formulas). Cells are counted as
 * at upload, so a workbook stored before the limits existed cannot walk billions of empty cells.
 */
export async function* readXlsxRows(input: Readable, maxCells = defaultTableLimits.maxCells): AsyncGenerator<string[]> {
  const xlsx = openXlsx(input);
  let cellsRead = 0;
  const countCells = (cells: number) => {
    cellsRead += Math.max(cells, 1);
    if (cellsRead > maxCells) throw new TableLimitError('too_many_cells', { max: maxCells });
  };
  try {
    for await (const worksheet of xlsx.worksheets()) {
      const name = xlsx.nameOf(worksheet);
      const firstSheet = xlsx.sheetNames()[0];
      if (name !== undefined && firstSheet !== undefined && name !== firstSheet) {
        // Reading the rows is what moves the ZIP on to the next entry.
        for await (const row of xlsx.rows(worksheet)) countCells(row.cellCount);
        continue;
      }
      let headerLength: number | undefined;
      for await (const row of xlsx.rows(worksheet)) {
        // Short rows are padded to the header's width: that costs as much as reading the cells.
        countCells(Math.max(row.cellCount, headerLength ?? 0));
        const cells = rowCells(row);
        if (cells.length === 0) continue;
        headerLength ??= cells.length;
        while (cells.length < headerLength) cells.push('');
        yield cells;
      }
      return;
    }
  } finally {
    xlsx.close();
  }
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
