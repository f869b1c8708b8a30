import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../../db/client.ts';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { findPublicResource, findTable, isLoadable } from './datastore.repository.ts';
import { type ColumnRef, cursorOf, jsonValue, prepareQuery, QueryError, type RecordsRequest, rowOrderBound, type SortKey, textWords } from './datastore.query.ts';
import { systemColumns } from './datastore.fields.ts';
import { fullTextIndexSql } from './datastore.loader.ts';
import { isActiveFor } from './datastore.service.ts';
import type { DatastoreTable } from './datastore.table.ts';

/** A query slower than this is cancelled: one caller must not hold the database. */
export const statementTimeoutMs = 5_000;

export interface RecordsResult {
  resourceId: string;
  datasetSlug: string;
  columns: ColumnRef[];
  records: Array<Record<string, unknown>>;
  total?: number;
  /** The cursor to pass as `after` for the next page; absent on the last page. */
  nextAfter?: string;
  limit: number;
  offset: number;
}

/** The live table of a public resource, or 404 (no such public resource) / 409 (not a table, not loaded yet). */
export async function liveTableOf(db: Database, resourceId: unknown): Promise<{ table: DatastoreTable; resourceId: string; datasetSlug: string }> {
  if (!isUuid(resourceId)) throw notFound('errors.resource_not_found');
  const found = await findPublicResource(db, resourceId);
  if (!found) throw notFound('errors.resource_not_found');
  const table = await findTable(db, found.resource.lineageId);
  if (!isActiveFor(table, found.resource)) {
    throw conflict(isLoadable(found.resource) ? 'datastore.not_loaded' : 'datastore.not_tabular');
  }
  return { table, resourceId, datasetSlug: found.datasetSlug };
}

/**
 * Records of a public resource's table. Runs in a read-only transaction with a statement timeout;
 * a table swapped out between reading its fields and the query answers 409 (ask again).
 */
export async function readRecords(db: Database, resourceId: unknown, request: RecordsRequest): Promise<RecordsResult> {
  const live = await liveTableOf(db, resourceId);
  const prepared = prepareQuery(live.table.tableName, live.table.fields, request, live.table.fullText);
  const canUseRowCount = request.filters.length === 0 && !request.q;
  try {
    const { rows, total } = await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local statement_timeout = ${statementTimeoutMs}`));
      let rows: Array<Record<string, unknown>> | undefined;
      const bound = request.limit > 0 ? await textRowOrderBound(tx, live.table, request, prepared.keys) : undefined;
      if (bound !== undefined) {
        // The planner's own choice would go through the full-text index: only the row-number index is left to it.
        for (const setting of ['enable_bitmapscan = off', 'enable_seqscan = off']) await tx.execute(sql.raw(`set local ${setting}`));
        const inRowOrder = prepareQuery(live.table.tableName, live.table.fields, request, live.table.fullText, bound);
        const found = rowsOf<Record<string, unknown>>(await tx.execute(inRowOrder.select));
        // A full page within the bound is the page: every later row is numbered after it.
        if (found.length === request.limit) rows = found;
        for (const setting of ['enable_bitmapscan = on', 'enable_seqscan = on']) await tx.execute(sql.raw(`set local ${setting}`));
      }
      if (!rows) rows = request.limit === 0 ? [] : rowsOf<Record<string, unknown>>(await tx.execute(prepared.select));
      let total: number | undefined;
      if (prepared.count) {
        total = canUseRowCount && live.table.rowCount !== null ? live.table.rowCount : Number(rowsOf<{ total: number }>(await tx.execute(prepared.count))[0]?.total ?? 0);
      }
      return { rows, total };
    });
    const records = rows.map((row) => Object.fromEntries(prepared.columns.map((column) => [column.id, jsonValue(column, row[column.id])])));
    const last = rows[rows.length - 1];
    return {
      resourceId: live.resourceId,
      datasetSlug: live.datasetSlug,
      columns: prepared.columns,
      records,
      total,
      nextAfter: last && rows.length === request.limit ? cursorOf(prepared.keys, last) : undefined,
      limit: request.limit,
      offset: request.offset,
    };
  } catch (error) {
    throw databaseRefusal(error);
  }
}

/**
 * For a `q` alone in row order, on a table whose indexes are built, on a PostgreSQL server: how far
 * along the row-number index to read it (rowOrderBound), judged from the statistics of the table's
 * full-text index.
 */
export async function textRowOrderBound(tx: Database, table: DatastoreTable, request: RecordsRequest, keys: SortKey[]): Promise<number | undefined> {
  if (!request.q || request.filters.length > 0 || table.fullText !== 'ready' || table.indexes !== 'ready' || !table.rowCount) return undefined;
  if (keys.length !== 1 || keys[0].column.id !== systemColumns.id || keys[0].desc) return undefined;
  const words = textWords(request.q);
  const index = fullTextIndexSql(table.tableName, table.fields);
  if (words.length === 0 || !index) return undefined;
  const [stats] = rowsOf<{ elems: string[] | null; freqs: number[] | null }>(
    await tx.execute(
      // Not on PGlite: folding a row costs far more in WebAssembly than the full-text path does
      // (116 ms against 16 ms for "nguyen thi hong" at 100k rows in the bench).
      sql`select most_common_elems::text::text[] as elems, most_common_elem_freqs as freqs from pg_stats where schemaname = 'datastore' and tablename = ${index.name} and version() not like '%emscripten%'`,
    ),
  );
  const wordStats = stats?.elems && stats.freqs ? { elems: stats.elems, freqs: stats.freqs.map(Number) } : undefined;
  return rowOrderBound(words, wordStats, table.rowCount, request.offset + request.limit);
}

/** PostgreSQL's refusals that a caller can cause, as sentences; anything else stays a server error. */
function databaseRefusal(error: unknown): unknown {
  if (error instanceof QueryError || error instanceof AppError) return error;
  const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code === '57014') return new QueryError('datastore.too_slow', { seconds: statementTimeoutMs / 1000 });
  if (code === '42P01' || code === '42703') return conflict('datastore.table_replaced');
  if (code === '22003' || code === '22008' || code === '22P02' || code === '22007') return new QueryError('datastore.bad_value_generic');
  return error;
}
