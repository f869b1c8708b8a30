import type { Locale, Translate } from '../../i18n/i18n.ts';
import { presentDatasetSummary } from '../datasets/datasets.presenter.ts';
import { downloadPath, originalDownload } from '../resources/resources.presenter.ts';
import { renderChartSvg } from './chart-svg.ts';
import { type ConversionFormat, conversionFormats } from './convert.ts';
import type { Column } from './csv-rows.ts';
import { isStreamableTable, type PreviewProblem, type ResourcePageData } from './previews.service.ts';

export interface ResourcePageView {
  dataset: { title: string; url: string; agency: { name: string; url: string }; topic: { name: string; url: string } };
  resource: {
    id: string;
    name: string;
    description: string;
    format: string;
    sizeBytes: number | null;
    sha256: string | null;
    rowCount: number | null;
    publishedAt: Date | null;
    isLink: boolean;
    href: string;
    /** The bytes as uploaded, when the portal re-encoded them to UTF-8. */
    original: { href: string; encoding: string } | null;
    downloads: number;
  };
  pageUrl: string;
  /** `columnCount` is the whole table's width; only `columns` are shown (at most 100). */
  preview: { columns: Column[]; rows: string[][]; truncated: boolean; columnCount: number } | null;
  previewProblemKey: string | null;
  chartForm: { columns: string[]; numericColumns: string[]; x: string; y: string; kind: 'bar' | 'line' } | null;
  /** SVG built by chart-svg.ts, which escapes every text: safe to output raw. */
  chartSvg: string | null;
  chartMessage: string | null;
  map: { geojsonUrl: string; tileUrl: string; attribution: string } | null;
  conversions: Array<{ format: ConversionFormat; label: string; url: string }>;
}

const problemKeys: Record<PreviewProblem, string> = {
  file_missing: 'previews.problem_file_missing',
  unreadable: 'previews.problem_unreadable',
  too_large: 'previews.problem_too_large',
  invalid_json: 'previews.problem_invalid_json',
  not_tabular: 'previews.problem_not_tabular',
};

export function presentResourcePage(
  data: ResourcePageData,
  options: { t: Translate; locale: Locale; chart: { x?: string; y?: string; kind: 'bar' | 'line' }; tiles?: { url: string; attribution: string } },
): ResourcePageView {
  const { row, resource } = data;
  const summary = presentDatasetSummary(row, options.locale);
  const pageUrl = `/dataset/${row.dataset.slug}/resource/${resource.id}`;
  const isLink = !resource.storageKey && Boolean(resource.url);
  const columns = data.preview?.columns ?? [];

  let chartSvg: string | null = null;
  let chartMessage: string | null = null;
  const chart = data.chart;
  if (chart.kind === 'incomplete') chartMessage = options.t('previews.chart_incomplete');
  else if (chart.kind === 'unreadable') chartMessage = options.t('previews.chart_unreadable');
  else if (chart.kind === 'error' && chart.error === 'unknown_column') chartMessage = options.t('previews.chart_unknown_column', { column: chart.column });
  else if (chart.kind === 'error') chartMessage = options.t('previews.chart_not_numeric', { column: chart.column });
  else if (chart.kind === 'chart') {
    chartSvg = renderChartSvg({
      kind: chart.chartKind,
      title: options.t('previews.chart_title', { x: chart.x, y: chart.y }),
      xLabel: chart.x,
      yLabel: chart.y,
      points: chart.data.points,
      locale: options.locale,
    });
    if (chart.data.skippedRows > 0) chartMessage = options.t('previews.chart_skipped_rows', { count: chart.data.skippedRows });
  }

  const streamable = isStreamableTable(resource);
  return {
    dataset: { title: summary.title, url: summary.url, agency: summary.agency, topic: summary.topic },
    resource: {
      id: resource.id,
      name: resource.name,
      description: resource.description,
      format: resource.format,
      sizeBytes: resource.sizeBytes,
      sha256: resource.sha256,
      rowCount: resource.rowCount,
      publishedAt: data.filePublishedAt,
      isLink,
      href: isLink ? (resource.url as string) : downloadPath(row.dataset.slug, resource),
      original: originalDownload(row.dataset.slug, resource),
      downloads: data.downloads,
    },
    pageUrl,
    preview: data.preview,
    previewProblemKey: data.previewProblem ? problemKeys[data.previewProblem] : null,
    chartForm:
      streamable && data.preview && columns.length > 0
        ? {
            columns: columns.map((column) => column.name),
            numericColumns: columns.filter((column) => column.type === 'integer' || column.type === 'number').map((column) => column.name),
            x: options.chart.x ?? '',
            y: options.chart.y ?? '',
            kind: options.chart.kind,
          }
        : null,
    chartSvg,
    chartMessage,
    map:
      options.tiles && data.coordinates && streamable
        ? { geojsonUrl: `${pageUrl}/geojson`, tileUrl: options.tiles.url, attribution: options.tiles.attribution }
        : null,
    conversions: streamable
      ? (Object.keys(conversionFormats) as ConversionFormat[]).map((format) => ({
          format,
          label: format.toUpperCase(),
          url: `${pageUrl}/convert/${format}`,
        }))
      : [],
  };
}
