import type { Readable, Writable } from 'node:stream';
import type { Queryable } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { requireUuid } from '../../lib/ids.ts';
import type { FileStorage } from '../../storage/file-storage.ts';
import { findPublishedBySlug, type PublishedDatasetRow } from '../datasets/datasets.repository.ts';
import { chartFromTable, loadedTableOf, tableCsv } from '../datastore/datastore.export.ts';
import type { DatastoreTable } from '../datastore/datastore.table.ts';
import { findPublishedResource } from '../resources/resources.repository.ts';
import { downloadsByLineage } from '../stats/stats.repository.ts';
import type { Resource } from '../resources/resources.table.ts';
import type { ChartData } from './chart-svg.ts';
import { type ConversionFormat, type ConversionResult, conversionFormats } from './convert.ts';
import type { CsvDelimiter } from '../tabular/csv-stream.ts';
import { JobStoppedError } from '../tabular/worker-pool.ts';
import { runFileJob } from './file-jobs.ts';
import type { TableSource } from './file-jobs.worker.ts';
import { detectCoordinateColumns, type GeoJsonResult } from './geo.ts';
import { filePublishedAt } from './previews.repository.ts';
import type { TablePreview } from './table-preview.ts';

/**
 * What the resource page can do with a file, decided by its format. CSV/TSV and XLSX are read as
 * streams (preview, chart, map, conversions); JSON is previewed only, as it must be parsed whole.
 */
export type TabularKind = 'csv' | 'xlsx' | 'json';

export const PREVIEW_ROWS = 100;

export function tabularKindOf(resource: Pick<Resource, 'format' | 'storageKey'>): TabularKind | null {
  if (!resource.storageKey) return null;
  const format = resource.format.toUpperCase();
  if (format === 'CSV' || format === 'TSV') return 'csv';
  if (format === 'XLSX') return 'xlsx';
  if (format === 'JSON') return 'json';
  return null;
}

/** Conversions, charts and maps need a table read as a stream. */
export function isStreamableTable(resource: Pick<Resource, 'format' | 'storageKey'>): boolean {
  const kind = tabularKindOf(resource);
  return kind === 'csv' || kind === 'xlsx';
}

export function isConversionFormat(value: string): value is ConversionFormat {
  return Object.hasOwn(conversionFormats, value);
}

const delimiters = new Set<string>([',', ';', '\t']);

/**
 * The delimiter found at upload; without an inspection (links imported by the API, fixtures), a
 * TSV is tab-separated and anything else is guessed from the first lines by the reader.
 */
function delimiterOf(resource: Resource): CsvDelimiter | undefined {
  const inspected = resource.inspection?.delimiter;
  if (inspected && delimiters.has(inspected)) return inspected as CsvDelimiter;
  return resource.format.toUpperCase() === 'TSV' ? '\t' : undefined;
}

/** How a worker reads the file as a CSV (an XLSX's first sheet is turned into one there). */
function sourceOf(resource: Resource): TableSource {
  return tabularKindOf(resource) === 'xlsx' ? { kind: 'xlsx', options: { delimiter: ',' } } : { kind: 'csv', options: { delimiter: delimiterOf(resource) } };
}

/** Opens the stored file for a worker, each time it asks; null when the file is gone. */
async function storedFile(storage: FileStorage, resource: Resource): Promise<(() => Promise<Readable>) | null> {
  const key = resource.storageKey;
  if (!key || !(await storage.exists(key))) return null;
  return async () => {
    const file = await storage.open(key);
    if (!file) throw new Error(`stored file ${key} disappeared while it was read`);
    return file.stream;
  };
}

/** How a worker reads a loaded table: as the CSV tableCsv() writes. */
const tableSource: TableSource = { kind: 'csv', options: { delimiter: ',' } };

/**
 * The resource's table to read: its loaded DataStore table when that holds this very file (the
 * file is not parsed again), else the stored file; null when neither is there.
 */
async function tableInput(
  db: Queryable,
  storage: FileStorage,
  resource: Resource,
  table: DatastoreTable | undefined,
  pageRows?: number,
): Promise<{ open: () => Promise<Readable>; source: TableSource } | null> {
  if (table) return { open: async () => tableCsv(db, table, { pageRows }), source: tableSource };
  const open = await storedFile(storage, resource);
  return open ? { open, source: sourceOf(resource) } : null;
}

export interface PublicResource {
  row: PublishedDatasetRow;
  resource: Resource;
}

/** A resource of an approved revision of a public dataset, with that dataset; anything else is 404. */
export async function loadPublicResource(db: Queryable, slug: string, resourceId: string): Promise<PublicResource> {
  requireUuid(resourceId, 'errors.resource_not_found');
  const [row, resource] = await Promise.all([findPublishedBySlug(db, slug), findPublishedResource(db, slug, resourceId)]);
  if (!row || !resource) throw notFound('errors.resource_not_found');
  return { row, resource };
}

export type PreviewProblem = 'file_missing' | 'unreadable' | 'too_large' | 'invalid_json' | 'not_tabular';

export interface ChartRequest {
  x?: string;
  y?: string;
  kind: 'bar' | 'line';
}

export type ChartOutcome =
  | { kind: 'none' }
  | { kind: 'incomplete' }
  /** The file could not be read to the end in time or within the worker's memory. */
  | { kind: 'unreadable' }
  | { kind: 'error'; error: 'unknown_column'; column: string }
  | { kind: 'error'; error: 'not_numeric'; column: string }
  | { kind: 'chart'; x: string; y: string; chartKind: 'bar' | 'line'; data: ChartData };

export interface ResourcePageData extends PublicResource {
  kind: TabularKind | null;
  filePublishedAt: Date | null;
  /** Downloads of this file across the dataset's revisions (its lineage). */
  downloads: number;
  preview: TablePreview | null;
  previewProblem: PreviewProblem | null;
  chart: ChartOutcome;
  /** Columns holding coordinates, found in the previewed rows. */
  coordinates: { lat: string; lon: string } | null;
}

/**
 * Everything the resource page shows, reading no more of the file than it needs: the first rows
 * for the preview, and the whole file (streamed, summed on the way) only when a chart is asked for.
 */
export async function resourcePageData(
  db: Queryable,
  storage: FileStorage,
  slug: string,
  resourceId: string,
  chart: ChartRequest,
  signal?: AbortSignal,
): Promise<ResourcePageData> {
  const found = await loadPublicResource(db, slug, resourceId);
  const { resource } = found;
  const kind = tabularKindOf(resource);
  const [publishedAt, downloads] = await Promise.all([filePublishedAt(db, resource), downloadsByLineage(db, [resource.lineageId])]);
  const data: ResourcePageData = {
    ...found,
    kind,
    filePublishedAt: publishedAt,
    downloads: downloads.get(resource.lineageId) ?? 0,
    preview: null,
    previewProblem: null,
    chart: { kind: 'none' },
    coordinates: null,
  };
  if (!kind) return data;

  const table = kind === 'json' ? undefined : await loadedTableOf(db, resource);
  const previewed = await previewOf(db, storage, resource, kind, table, signal);
  if ('problem' in previewed) {
    data.previewProblem = previewed.problem;
    return data;
  }
  data.preview = previewed.preview;
  if (kind === 'json') return data;
  data.coordinates = detectCoordinateColumns(previewed.preview.columns, previewed.preview.rows);
  data.chart = await chartOf(db, storage, resource, previewed.preview, chart, table, signal);
  return data;
}

async function previewOf(
  db: Queryable,
  storage: FileStorage,
  resource: Resource,
  kind: TabularKind,
  table: DatastoreTable | undefined,
  signal?: AbortSignal,
): Promise<{ preview: TablePreview } | { problem: PreviewProblem }> {
  // One page of the table is enough for the preview's rows.
  const input = await tableInput(db, storage, resource, table, PREVIEW_ROWS + 1);
  if (!input) return { problem: 'file_missing' };
  const { open } = input;
  try {
    if (kind === 'json') {
      const preview = await runFileJob('previewJson', { rows: PREVIEW_ROWS }, { open, signal });
      return 'error' in preview ? { problem: preview.error } : { preview };
    }
    return { preview: await runFileJob('previewTable', { source: input.source, rows: PREVIEW_ROWS }, { open, signal }) };
  } catch (error) {
    if (error instanceof JobStoppedError && error.reason === 'aborted') throw error;
    // A damaged workbook, a file that is not what its format says, or one too slow or too large
    // to read: the page still shows the rest.
    return { problem: 'unreadable' };
  }
}

async function chartOf(
  db: Queryable,
  storage: FileStorage,
  resource: Resource,
  preview: TablePreview,
  request: ChartRequest,
  table: DatastoreTable | undefined,
  signal?: AbortSignal,
): Promise<ChartOutcome> {
  const x = request.x?.trim() ?? '';
  const y = request.y?.trim() ?? '';
  if (x === '' && y === '') return { kind: 'none' };
  if (x === '' || y === '') return { kind: 'incomplete' };
  const known = new Set(preview.columns.map((column) => column.name.normalize('NFC').toLowerCase()));
  for (const column of [x, y]) {
    if (!known.has(column.normalize('NFC').toLowerCase())) return { kind: 'error', error: 'unknown_column', column };
  }
  let data: ChartData;
  if (table) {
    // One GROUP BY over the whole table instead of a pass over the file.
    try {
      const summed = await chartFromTable(db, table, x, y);
      data = 'error' in summed ? { points: [], skippedRows: 0, error: summed.error } : summed;
    } catch {
      return { kind: 'unreadable' }; // over its time limit, or the table was swapped meanwhile
    }
    return chartOutcome(data, x, y, request);
  }
  const open = await storedFile(storage, resource);
  if (!open) return { kind: 'none' };
  try {
    data = await runFileJob('chart', { source: sourceOf(resource), x, y }, { open, signal });
  } catch (error) {
    if (error instanceof JobStoppedError && error.reason === 'aborted') throw error;
    return { kind: 'unreadable' };
  }
  return chartOutcome(data, x, y, request);
}

function chartOutcome(data: ChartData, x: string, y: string, request: ChartRequest): ChartOutcome {
  if (data.error === 'unknown_column') return { kind: 'error', error: 'unknown_column', column: x };
  if (data.error === 'not_numeric') return { kind: 'error', error: 'not_numeric', column: y };
  return { kind: 'chart', x, y, chartKind: request.kind, data };
}

/** Points for the map: 404 unless the table has coordinate columns. */
export async function resourceGeoJson(db: Queryable, storage: FileStorage, slug: string, resourceId: string, signal?: AbortSignal): Promise<GeoJsonResult> {
  const { resource } = await loadPublicResource(db, slug, resourceId);
  const input = isStreamableTable(resource) ? await tableInput(db, storage, resource, await loadedTableOf(db, resource)) : null;
  if (!input) throw notFound('errors.resource_not_found');
  const { open, source } = input;
  const preview = await runFileJob('previewTable', { source, rows: PREVIEW_ROWS }, { open, signal });
  const coordinates = detectCoordinateColumns(preview.columns, preview.rows);
  if (!coordinates) throw notFound('errors.resource_not_found');
  return runFileJob('geoJson', { source, lat: coordinates.lat, lon: coordinates.lon }, { open, signal });
}

export interface Conversion {
  resource: Resource;
  datasetId: string;
  format: ConversionFormat;
  mediaType: string;
  fileName: string;
  /**
   * Writes the converted file to `output` (ended or destroyed when done), in a worker thread; the
   * work stops when `signal` aborts or `output` closes early (the client left).
   */
  run(output: Writable, signal?: AbortSignal): Promise<ConversionResult>;
}

/** A conversion of a table to another format, ready to stream; 404 for other files or formats. */
export async function prepareConversion(
  db: Queryable,
  storage: FileStorage,
  slug: string,
  resourceId: string,
  format: string,
): Promise<Conversion> {
  const { row, resource } = await loadPublicResource(db, slug, resourceId);
  if (!isConversionFormat(format) || !isStreamableTable(resource)) throw notFound('errors.resource_not_found');
  const input = await tableInput(db, storage, resource, await loadedTableOf(db, resource));
  if (!input) throw notFound('errors.file_missing');
  const { open, source } = input;
  const target = conversionFormats[format];
  const base = (resource.fileName ?? resource.name).replace(/\.[^.]+$/, '') || resource.id;
  return {
    resource,
    datasetId: row.dataset.id,
    format,
    mediaType: target.mediaType,
    fileName: `${base}.${target.extension}`,
    run: (output, signal) => runFileJob('convert', { source, format }, { open, output, signal }),
  };
}
