import type { Readable } from 'node:stream';
import { inspectStagedFile, type InspectFileInput } from '../tabular/inspect-file.ts';
import { type JobContext, serveJobs } from '../tabular/worker-protocol.ts';
import { aggregateForChart } from './chart-svg.ts';
import { type ConversionFormat, csvToCsv, csvToJson, csvToXlsx, csvToXml } from './convert.ts';
import type { CsvReadOptions } from './csv-rows.ts';
import { toGeoJson } from './geo.ts';
import { previewCsv, previewJson } from './table-preview.ts';
import { xlsxAsCsv } from './xlsx-rows.ts';

/**
 * The entry of a file worker thread (see tabular/worker-pool.ts): every reading of an uploaded or
 * stored file that its content can make slow or large. Arguments and results are plain data.
 */

/** How to read the stored file as a CSV: an XLSX's first sheet is turned into one. */
export type TableSource = { kind: 'csv' | 'xlsx'; options: CsvReadOptions };

function openTable(source: TableSource, context: JobContext): Promise<{ stream: Readable; options: CsvReadOptions }> | { stream: Readable; options: CsvReadOptions } {
  if (source.kind === 'xlsx') return { stream: xlsxAsCsv(() => context.openInput()), options: { delimiter: ',' } };
  return context.openInput().then((stream) => ({ stream, options: source.options }));
}

const converters = { csv: csvToCsv, json: csvToJson, xml: csvToXml, xlsx: csvToXlsx } as const;

export const fileJobHandlers = {
  inspect: (args: InspectFileInput) => inspectStagedFile(args),
  previewTable: async (args: { source: TableSource; rows: number }, context: JobContext) => {
    const table = await openTable(args.source, context);
    return previewCsv(table.stream, { rows: args.rows, ...table.options });
  },
  previewJson: async (args: { rows: number }, context: JobContext) => previewJson(await context.openInput(), { rows: args.rows }),
  chart: async (args: { source: TableSource; x: string; y: string }, context: JobContext) => {
    const table = await openTable(args.source, context);
    return aggregateForChart(table.stream, args.x, args.y, table.options);
  },
  geoJson: async (args: { source: TableSource; lat: string; lon: string }, context: JobContext) => {
    const table = await openTable(args.source, context);
    return toGeoJson(table.stream, args.lat, args.lon, table.options);
  },
  convert: async (args: { source: TableSource; format: ConversionFormat }, context: JobContext) => {
    const table = await openTable(args.source, context);
    return converters[args.format](table.stream, context.output, table.options);
  },
};

export type FileJobHandlers = typeof fileJobHandlers;

serveJobs(fileJobHandlers);
