import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../../db/client.ts';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/ids.ts';
import { findPublicResource, findTable, isLoadable } from './datastore.repository.ts';
import { type ColumnRef, cursorOf, jsonValue, prepareQuery, QueryError, type RecordsRequest } from './datastore.query.ts';
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
      const rows = request.limit === 0 ? [] : rowsOf<Record<string, unknown>>(await tx.execute(prepared.select));
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

/** PostgreSQL's refusals that a caller can cause, as sentences; anything else stays a server error. */
function databaseRefusal(error: unknown): unknown {
  if (error instanceof QueryError || error instanceof AppError) return error;
  const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code === '57014') return new QueryError('datastore.too_slow', { seconds: statementTimeoutMs / 1000 });
  if (code === '42P01' || code === '42703') return conflict('datastore.table_replaced');
  if (code === '22003' || code === '22008' || code === '22P02' || code === '22007') return new QueryError('datastore.bad_value_generic');
  return error;
}
