import ExcelJS from 'exceljs';
import type { Translate } from '../../i18n/i18n.ts';
import type { Report, ReportRow } from './reports.service.ts';

/** The columns of the per-agency and per-topic tables, shared by the page and the workbook. */
export const reportColumns: Array<{ key: keyof ReportRow; label: string }> = [
  { key: 'entries', label: 'reports.col_entries' },
  { key: 'published', label: 'reports.col_published' },
  { key: 'datasets', label: 'reports.col_datasets' },
  { key: 'onTime', label: 'reports.col_on_time' },
  { key: 'overdue', label: 'reports.col_overdue' },
  { key: 'lastUpdate', label: 'reports.col_last_update' },
  { key: 'feedbackReceived', label: 'reports.col_feedback' },
  { key: 'feedbackOnTime', label: 'reports.col_feedback_on_time' },
  { key: 'feedbackOverdue', label: 'reports.col_feedback_overdue' },
  { key: 'views', label: 'reports.col_views' },
  { key: 'downloads', label: 'reports.col_downloads' },
];

const bold = { bold: true };

function addTable(workbook: ExcelJS.Workbook, name: string, firstHeader: string, rows: ReportRow[], t: Translate) {
  const sheet = workbook.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.addRow([firstHeader, ...reportColumns.map((column) => t(column.label))]).font = bold;
  for (const row of rows) {
    // Figures stay numbers so that DOIT can sum and chart them; the last update is a real date.
    sheet.addRow([row.name, ...reportColumns.map((column) => (column.key === 'lastUpdate' ? (row.lastUpdate ? new Date(`${row.lastUpdate}T00:00:00Z`) : null) : row[column.key]))]);
  }
  sheet.getColumn(1).width = 42;
  sheet.getColumn(1 + reportColumns.findIndex((column) => column.key === 'lastUpdate') + 1).numFmt = 'dd/mm/yyyy';
  for (let index = 2; index <= reportColumns.length + 1; index++) if (!sheet.getColumn(index).width) sheet.getColumn(index).width = 14;
}

/** One sheet per table of the report: summary, agencies, topic groups, silent agencies. */
export async function reportToXlsx(report: Report, t: Translate): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const summary = workbook.addWorksheet(t('reports.sheet_summary'));
  summary.addRow([t('reports.title', { period: report.period.key })]).font = { bold: true, size: 14 };
  summary.addRow([t('reports.kpi_publishing'), report.kpi.publishing]);
  summary.addRow([t('reports.kpi_total'), report.kpi.total]);
  summary.addRow([t('reports.kpi_percent'), report.kpi.percent]);
  summary.addRow([t('reports.kpi_target'), report.kpi.target]);
  summary.getColumn(1).width = 60;
  addTable(workbook, t('reports.sheet_agencies'), t('reports.col_agency'), report.agencies, t);
  if (report.scope === 'province') addTable(workbook, t('reports.sheet_topics'), t('reports.col_topic'), report.topics, t);
  const silent = workbook.addWorksheet(t('reports.sheet_silent'));
  silent.addRow([t('reports.col_agency')]).font = bold;
  for (const name of report.silent) silent.addRow([name]);
  silent.getColumn(1).width = 60;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
