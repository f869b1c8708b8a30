import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { translator } from '../../i18n/i18n.ts';
import { catalogueHeaders } from './catalogue-csv.ts';
import type { EntryListRow } from './catalogue.repository.ts';
import type { Catalogue } from './catalogue.table.ts';

/**
 * Exports follow the plans' Appendix II: Vietnamese headers in its order (so that an export imports back
 * unchanged), then the entry's state and its dataset's address. Files are Vietnamese whatever the page's
 * language: they are administrative documents.
 */
const vi = translator('vi');
const extraHeaders = [vi('catalogue.col_state'), vi('catalogue.col_link')];

function ddmmyyyy(isoDate: string | null): string {
  if (!isoDate) return '';
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

function cellsOf(row: EntryListRow, baseUrl: string): string[] {
  const { entry } = row;
  return [
    String(entry.number),
    entry.title,
    entry.description,
    row.agencyName,
    ddmmyyyy(entry.firstPublicationDate),
    entry.frequency ? vi(`frequency.${entry.frequency}`) : '',
    entry.notes,
    row.topicNameVi,
    row.published ? vi('catalogue.state_published') : vi('catalogue.state_planned'),
    row.published && row.datasetSlug ? `${baseUrl}/dataset/${row.datasetSlug}` : '',
  ];
}

/** CSV with a BOM, which Excel needs to read UTF-8 Vietnamese. */
export function catalogueToCsv(rows: EntryListRow[], baseUrl: string): string {
  return `\uFEFF${Papa.unparse([[...catalogueHeaders, ...extraHeaders], ...rows.map((row) => cellsOf(row, baseUrl))], { newline: '\r\n' })}\r\n`;
}

const thin = { style: 'thin' as const };
const border = { top: thin, left: thin, bottom: thin, right: thin };
const widths = [6, 40, 45, 28, 14, 16, 20, 20, 14, 30];

/** A workbook ready to print on A4 landscape: title, the decision it belongs to, headers repeated on every page. */
export async function catalogueToXlsx(catalogue: Catalogue | null, rows: EntryListRow[], input: { baseUrl: string; provinceName: string }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = vi('catalogue.export_creator');
  const sheet = workbook.addWorksheet(vi('catalogue.export_sheet'), {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: '4:4',
      horizontalCentered: true,
    },
    headerFooter: { oddFooter: `&C${vi('catalogue.export_page')} &P/&N` },
  });
  const lastColumn = widths.length;
  sheet.columns = widths.map((width) => ({ width }));

  const year = catalogue?.year ?? new Date().getFullYear();
  const title = sheet.getRow(1);
  title.getCell(1).value = vi('catalogue.export_title', { year, province: input.provinceName }).toUpperCase();
  title.font = { bold: true, size: 14, name: 'Times New Roman' };
  sheet.mergeCells(1, 1, 1, lastColumn);
  const subtitle = sheet.getRow(2);
  subtitle.getCell(1).value =
    catalogue?.decisionNumber && catalogue.decisionDate
      ? vi('catalogue.export_decision', { number: catalogue.decisionNumber, date: ddmmyyyy(catalogue.decisionDate), province: input.provinceName })
      : vi('catalogue.export_draft');
  subtitle.font = { italic: true, size: 12, name: 'Times New Roman' };
  sheet.mergeCells(2, 1, 2, lastColumn);
  for (const row of [title, subtitle]) row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  title.height = 24;

  const header = sheet.getRow(4);
  header.values = [...catalogueHeaders, ...extraHeaders];
  header.font = { bold: true, name: 'Times New Roman', size: 12 };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.height = 32;
  for (let column = 1; column <= lastColumn; column++) {
    const cell = header.getCell(column);
    cell.border = border;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
  }

  rows.forEach((entryRow, index) => {
    const cells: ExcelJS.CellValue[] = cellsOf(entryRow, input.baseUrl);
    // TT is a number in the sheet, so that Excel sorts and sums it as one.
    cells[0] = entryRow.entry.number;
    const row = sheet.getRow(5 + index);
    row.values = cells;
    row.font = { name: 'Times New Roman', size: 12 };
    row.alignment = { vertical: 'top', wrapText: true };
    for (let column = 1; column <= lastColumn; column++) row.getCell(column).border = border;
    row.getCell(1).alignment = { horizontal: 'center', vertical: 'top' };
  });
  sheet.views = [{ state: 'frozen', ySplit: 4 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
