import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { DatabaseHandle } from '../../db/client.ts';
import { CellError, type CellConverter, converterFor, fold, sqlTypeOf, systemColumns } from './datastore.fields.ts';
import type { SourceRow } from './datastore.source.ts';
import type { DatastoreField, LoadWarnings } from './datastore.table.ts';

/** A row the table cannot take: the load stops, the live table stays, the officer reads row and reason. */
export class LoadError extends Error {
  constructor(
    readonly row: number | undefined,
    readonly reason: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`row ${row}: ${reason}`);
  }
}

/** `"name"` with quotes doubled: the only way identifiers reach SQL, and only ours (sanitised) do. */
export const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const qualified = (table: string) => `datastore.${quoteIdentifier(table)}`;

export interface LoadPlan {
  table: string;
  fields: DatastoreField[];
  /** An `_extra` column for the cells of rows longer than the header. */
  withExtra: boolean;
  /** Values of each column seen at inspection, to tell decimal commas from grouping points. */
  samples: string[][];
  delimiter: string;
  /** Rows per COPY chunk (and per progress report). */
  batchRows?: number;
}

export function createTableSql(plan: LoadPlan): string {
  const columns = [
    `${quoteIdentifier(systemColumns.id)} integer NOT NULL`,
    ...plan.fields.map((field) => `${quoteIdentifier(field.id)} ${sqlTypeOf[field.type]}`),
    ...(plan.withExtra ? [`${quoteIdentifier(systemColumns.extra)} text`] : []),
    `${quoteIdentifier(systemColumns.search)} text NOT NULL`,
    // Computed once while loading, so a `q` query never runs to_tsvector on the rows it checks.
    `${quoteIdentifier(systemColumns.vector)} tsvector GENERATED ALWAYS AS (to_tsvector('simple', ${quoteIdentifier(systemColumns.search)})) STORED`,
  ];
  return `CREATE TABLE ${qualified(plan.table)} (${columns.join(', ')})`;
}

function copyColumns(plan: LoadPlan): string {
  const names = [systemColumns.id, ...plan.fields.map((field) => field.id), ...(plan.withExtra ? [systemColumns.extra] : []), systemColumns.search];
  return names.map(quoteIdentifier).join(', ');
}

const copySpecial = /[\\\t\n\r]/;
/** A value in COPY's text format: backslash, tab and line breaks escaped; null as \N. */
function copyText(value: string | null): string {
  if (value === null) return '\\N';
  if (!copySpecial.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

const defaultBatchRows = 20_000;

interface LoadProgress {
  rows: number;
  warnings: LoadWarnings;
  /** Longest value of each text column: short ones (codes, names) are worth an index. */
  textMaxLength: number[];
}

/**
 * The file's rows as COPY text, a batch of rows per chunk, each value checked against its column's
 * type. Counts rows and ragged rows as it goes; throws LoadError at the first cell that does not fit.
 */
async function* copyChunks(rows: AsyncIterable<SourceRow>, plan: LoadPlan, progress: LoadProgress, onBatch: (rows: number) => Promise<void>) {
  const converters: CellConverter[] = plan.fields.map((field, index) => converterFor(field, plan.samples[index] ?? []));
  const width = plan.fields.length;
  const textColumns = plan.fields.map((field) => field.type === 'text');
  const batch = plan.batchRows ?? defaultBatchRows;
  let chunk = '';
  let inChunk = 0;
  for await (const { cells, row } of rows) {
    if (cells.length !== width) {
      progress.warnings.raggedRows++;
      if (progress.warnings.raggedRowNumbers.length < 20) progress.warnings.raggedRowNumbers.push(row);
      if (cells.length > width && !plan.withExtra) throw new LoadError(row, 'datastore.row_too_long', { expected: width, actual: cells.length });
    }
    progress.rows++;
    let line = String(progress.rows);
    for (let i = 0; i < width; i++) {
      const raw = cells[i] ?? '';
      let value: string | null;
      try {
        value = converters[i](raw);
      } catch (error) {
        if (error instanceof CellError) throw new LoadError(row, error.reason, { column: plan.fields[i].label, value: error.value.slice(0, 100) });
        throw error;
      }
      if (textColumns[i] && value !== null && value.length > progress.textMaxLength[i]) progress.textMaxLength[i] = value.length;
      line += `\t${copyText(value)}`;
    }
    if (plan.withExtra) line += `\t${cells.length > width ? copyText(cells.slice(width).join(plan.delimiter)) : '\\N'}`;
    // Only text is searched by `q`; numbers and dates have filters.
    let search = '';
    for (let i = 0; i < width; i++) if (textColumns[i] && cells[i]) search += `${cells[i]} `;
    line += `\t${copyText(fold(search))}\n`;
    chunk += line;
    if (++inChunk >= batch) {
      yield chunk;
      chunk = '';
      inChunk = 0;
      await onBatch(progress.rows);
    }
  }
  if (inChunk > 0) yield chunk;
  await onBatch(progress.rows);
}

/**
 * Fills an empty table from the rows: one `COPY … FROM STDIN` stream on a PostgreSQL server; on
 * PGlite, `COPY … FROM '/dev/blob'` per batch (about six times the speed of multi-row INSERTs there,
 * and each batch lets other queries in between). Returns the row count and the warnings.
 */
export async function copyRows(
  handle: DatabaseHandle,
  plan: LoadPlan,
  rows: AsyncIterable<SourceRow>,
  onProgress: (rows: number) => Promise<void>,
): Promise<{ rowCount: number; warnings: LoadWarnings; textMaxLength: number[] }> {
  const progress: LoadProgress = { rows: 0, warnings: { raggedRows: 0, raggedRowNumbers: [] }, textMaxLength: plan.fields.map(() => 0) };
  const statement = `COPY ${qualified(plan.table)} (${copyColumns(plan)}) FROM`;
  if (handle.pool) {
    const client = await handle.pool.connect();
    let failed = false;
    try {
      const copy = client.query(copyFrom(`${statement} STDIN`));
      await pipeline(Readable.from(copyChunks(rows, plan, progress, onProgress)), copy);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      // A connection whose COPY was cut may be in any state: drop it rather than reuse it.
      client.release(failed);
    }
  } else if (handle.pglite) {
    const pglite = handle.pglite;
    for await (const chunk of copyChunks(rows, plan, progress, onProgress)) {
      await pglite.query(`${statement} '/dev/blob'`, [], { blob: new Blob([chunk]) });
    }
  } else {
    throw new Error('the datastore needs a PostgreSQL pool or PGlite');
  }
  return { rowCount: progress.rows, warnings: progress.warnings, textMaxLength: progress.textMaxLength };
}

const maxIndexes = 10;

/**
 * Indexes worth having for filters and sorts: the row number, the typed columns (numbers, dates,
 * yes/no: ranges and sorts), short text columns (codes, names, districts: equality), and the
 * folded text for `q`. Capped, because each one costs loading time.
 */
export function indexSql(plan: LoadPlan, suffix: string, textMaxLength: number[]): string[] {
  const table = qualified(plan.table);
  const statements = [`ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdentifier(`pk_${suffix}`)} PRIMARY KEY (${quoteIdentifier(systemColumns.id)})`];
  const typed = plan.fields.filter((field) => field.type !== 'text');
  const shortText = plan.fields.filter((field, index) => field.type === 'text' && (textMaxLength[index] ?? 0) > 0 && textMaxLength[index] <= 64);
  [...typed, ...shortText].slice(0, maxIndexes).forEach((field, index) => {
    statements.push(`CREATE INDEX ${quoteIdentifier(`ix_${suffix}_${index}`)} ON ${table} (${quoteIdentifier(field.id)})`);
  });
  statements.push(`CREATE INDEX ${quoteIdentifier(`ft_${suffix}`)} ON ${table} USING gin (${quoteIdentifier(systemColumns.vector)})`);
  return statements;
}
