import { formatDate, formatNumber, type Locale, type Translate } from '../../i18n/i18n.ts';
import { escapeXml } from '../../lib/xml.ts';
import { reportColumns } from './reports-xlsx.ts';
import type { Report, ReportRow } from './reports.service.ts';

/**
 * A horizontal bar chart as SVG (no script, prints as it shows): for each row, the catalogue's entries
 * in grey and the published ones over them in green. The presenter builds it on purpose; names are escaped.
 */
export function barChartSvg(rows: ReportRow[], labels: { title: string; entries: string; published: string }): string {
  const shown = rows.filter((row) => row.entries > 0);
  const max = Math.max(1, ...shown.map((row) => row.entries));
  const barHeight = 18;
  const gap = 8;
  const labelWidth = 300;
  const chartWidth = 420;
  const height = 40 + shown.length * (barHeight + gap);
  const bars = shown
    .map((row, index) => {
      const y = 30 + index * (barHeight + gap);
      const entriesWidth = (row.entries / max) * chartWidth;
      const publishedWidth = (row.published / max) * chartWidth;
      return [
        `<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end" font-size="12">${escapeXml(row.name)}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${entriesWidth.toFixed(1)}" height="${barHeight}" fill="#c9d1da"/>`,
        `<rect x="${labelWidth}" y="${y}" width="${publishedWidth.toFixed(1)}" height="${barHeight}" fill="#2e7d4f"/>`,
        `<text x="${(labelWidth + entriesWidth + 6).toFixed(1)}" y="${y + 13}" font-size="12">${row.published}/${row.entries}</text>`,
      ].join('');
    })
    .join('');
  const legend = `<rect x="${labelWidth}" y="6" width="12" height="12" fill="#2e7d4f"/><text x="${labelWidth + 18}" y="16" font-size="12">${escapeXml(labels.published)}</text><rect x="${labelWidth + 160}" y="6" width="12" height="12" fill="#c9d1da"/><text x="${labelWidth + 178}" y="16" font-size="12">${escapeXml(labels.entries)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(labels.title)}" viewBox="0 0 ${labelWidth + chartWidth + 60} ${height}" width="100%" class="report-chart"><title>${escapeXml(labels.title)}</title>${legend}${bars}</svg>`;
}

export function presentReport(report: Report, locale: Locale, t: Translate) {
  const cells = (row: ReportRow) =>
    reportColumns.map((column) => (column.key === 'lastUpdate' ? formatDate(locale, row.lastUpdate) : formatNumber(locale, row[column.key] as number)));
  const chartLabels = (title: string) => ({ title, entries: t('reports.col_entries'), published: t('reports.col_published') });
  return {
    periodKey: report.period.key,
    periodLabel: t(report.period.kind === 'half' ? `reports.period_half_${report.period.part}` : `reports.period_${report.period.kind}`, { part: report.period.part, year: report.period.year }),
    start: formatDate(locale, report.period.start),
    end: formatDate(locale, report.period.end),
    generatedOn: formatDate(locale, report.generatedOn),
    scope: report.scope,
    kpi: { ...report.kpi, percentText: formatNumber(locale, report.kpi.percent), met: report.kpi.target !== null && report.kpi.percent >= report.kpi.target },
    headers: reportColumns.map((column) => t(column.label)),
    agencies: report.agencies.map((row) => ({ name: row.name, cells: cells(row) })),
    topics: report.topics.map((row) => ({ name: row.name, cells: cells(row) })),
    silent: report.silent,
    agencyChart: barChartSvg(report.agencies, chartLabels(t('reports.chart_agencies'))),
    topicChart: report.topics.length > 0 ? barChartSvg(report.topics, chartLabels(t('reports.chart_topics'))) : '',
  };
}
