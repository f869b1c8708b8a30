import { sql } from 'drizzle-orm';
import { type DatabaseHandle, type Queryable, rowsOf } from '../../db/client.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { requireUuid } from '../../lib/ids.ts';
import type { FileStorage } from '../../storage/file-storage.ts';
import { type Actor, authorize } from '../accounts/permissions.ts';
import { enqueueJob } from '../jobs/jobs.service.ts';
import type { Resource } from '../resources/resources.table.ts';
import { fieldsFromColumns, systemColumns } from './datastore.fields.ts';
import {
  badCellOf,
  badCellReason,
  type ColumnStats,
  convertSql,
  createStagingSql,
  createTableSql,
  copyFileTyped,
  undoDirectSql,
  FileNotCopyable,
  fastConvertSql,
  fullTextIndexSql,
  indexColumns,
  indexSql,
  type LoadPlan,
  primaryKeySql,
  LoadError,
  qualified,
  quoteIdentifier,
  copyRows,
  stageFile,
} from './datastore.loader.ts';
import {
  findPublishedOfLineage,
  findResourceWithDataset,
  findTable,
  findTables,
  isLoadable,
  listUnloadedPublished,
  markQueued,
  tableNameOf,
  updateTable,
} from './datastore.repository.ts';
import { csvSourceRows, type SourceRow, xlsxSourceRows } from './datastore.source.ts';
import type { DatastoreField, DatastoreTable, LoadWarnings } from './datastore.table.ts';

export const loadJobName = 'datastore-load';
export const syncJobName = 'datastore-sync';

/**
 * Call inside the transaction that publishes a revision: each of its tables is queued for loading
 * (unless its live table already holds the same file), and the job is sent when the transaction commits.
 */
export async function requestDatastoreLoads(tx: Queryable, resources: Resource[]): Promise<void> {
  const loadable = resources.filter(isLoadable);
  const live = new Map((await findTables(tx, loadable.map((resource) => resource.lineageId))).map((table) => [table.lineageId, table]));
  for (const resource of loadable) {
    const table = live.get(resource.lineageId);
    if (table?.sourceSha256 && table.sourceSha256 === resource.sha256) continue;
    await markQueued(tx, resource);
    await enqueueJob(tx, loadJobName, { lineageId: resource.lineageId }, { singletonKey: resource.lineageId });
  }
}

/** Queues every published table that is not loaded with its current file (after a deploy, a lost job…). */
export async function syncDatastore(db: DatabaseHandle['db']): Promise<number> {
  return db.transaction(async (tx) => {
    const missing = await listUnloadedPublished(tx);
    for (const resource of missing) {
      await markQueued(tx, resource);
      await enqueueJob(tx, loadJobName, { lineageId: resource.lineageId }, { singletonKey: resource.lineageId });
    }
    return missing.length;
  });
}

/** The file's own header values of each column, from the preview rows inspection kept. */
function samplesOf(resource: Resource): string[][] {
  const columns = resource.inspection?.columns ?? [];
  const rows = resource.inspection?.previewRows ?? [];
  return columns.map((_, index) => rows.map((row) => row[index] ?? ''));
}

async function* sourceRowsOf(storage: FileStorage, resource: Resource): AsyncGenerator<SourceRow> {
  const file = await storage.open(resource.storageKey as string);
  if (!file) throw new LoadError(undefined, 'datastore.file_missing');
  if (resource.format === 'XLSX') yield* xlsxSourceRows(file.stream);
  else yield* csvSourceRows(file.stream, resource.inspection?.delimiter);
}

export interface LoaderDeps {
  handle: DatabaseHandle;
  storage: FileStorage;
  log: { info(details: object, message: string): void; warn(details: object, message: string): void };
  /** Rows per COPY chunk and progress report (tests make it small to watch a load midway). */
  batchRows?: number;
}

/** The statistics target of the ANALYZE before the swap (the default is 100). */
const quickStatisticsTarget = 20;
/** For the loading sessions' index builds (the default 64 MB makes a large build sort on disk). */
const indexBuildMemory = '256MB';
/** Parallel INSERT … SELECT slices of a large staged file, and parallel index builds: one per core of a 2-core server. */
const conversionSlices = 2;

export type LoadOutcome = 'loaded' | 'unchanged' | 'failed' | 'nothing' | 'superseded';

type Attempt = { retryCount: number; retryLimit: number };

/** Rough relative cost of building an index on these columns: text compares by collation, numeric by digits. */
const columnCost: Record<string, number> = { text: 3, numeric: 2, date: 1, integer: 1, boolean: 1 };
const byBuildCost = <T extends { type: string }>(indexes: T[][]): T[][] =>
  [...indexes].sort((a, b) => b.reduce((sum, field) => sum + (columnCost[field.type] ?? 1), 0) - a.reduce((sum, field) => sum + (columnCost[field.type] ?? 1), 0));

/**
 * Loads the public file of a lineage into a fresh table beside the live one, then, in one
 * transaction, drops the live table and renames the new one in its place: readers see the old
 * table or the new one, never a part. A bad row stops the load with its row number; the live
 * table stays. Anything else (a crash, a lost connection) leaves only the unseen loading table,
 * which the retry drops first.
 *
 * The table is swapped in as soon as its rows and statistics are in. Its filter indexes, then its
 * full-text index (the slowest part: every text cell folded and split into words), are built on the
 * live table afterwards, in the same job: filters work meanwhile by scanning (under the statement
 * timeout), `q` answers 409 until its index is there. A crash in that step leaves the table
 * serving; the job's retry finds the same file loaded and builds only what is missing, and after
 * the last retry the state says `failed`.
 */
export function createDatastoreLoader(deps: LoaderDeps) {
  const { handle, storage, log } = deps;
  const db = handle.db;
  const exec = (queryable: Queryable, statement: string) => queryable.execute(sql.raw(statement));

  async function load(
    lineageId: string,
    attempt: Attempt = { retryCount: 0, retryLimit: 0 },
    /** afterSwap: false leaves the index steps to later buildIndexes() and buildFullText() calls (the bench times them apart). */
    options: { force?: boolean; afterSwap?: boolean } = {},
  ): Promise<LoadOutcome> {
    const found = await findPublishedOfLineage(db, lineageId);
    if (!found || !isLoadable(found.resource)) return 'nothing';
    const resource = found.resource;
    const existing = await findTable(db, lineageId);
    if (!options.force && existing?.sourceSha256 === resource.sha256 && existing.resourceId) {
      await updateTable(db, lineageId, { loadState: 'done', loadResourceId: resource.id, loadError: null });
      // A retry after a crash in the index steps: the rows are in, only indexes are missing.
      if (options.afterSwap !== false) await afterSwap(lineageId, attempt);
      return 'unchanged';
    }
    if (!existing) await markQueued(db, resource);
    const liveName = tableNameOf(lineageId);
    const loadingName = `${liveName}__load`;
    const fields = fieldsFromColumns(resource.inspection?.columns ?? []);
    const plan: LoadPlan = {
      table: loadingName,
      fields,
      withExtra: (resource.inspection?.wrongColumnCountTotal ?? 0) > 0,
      samples: samplesOf(resource),
      delimiter: resource.inspection?.delimiter ?? ',',
      batchRows: deps.batchRows,
    };
    await updateTable(db, lineageId, {
      loadState: 'loading',
      loadResourceId: resource.id,
      loadRows: 0,
      loadTotal: resource.rowCount,
      loadError: null,
      loadWarnings: null,
      loadAttempts: attempt.retryCount + 1,
    });
    const started = Date.now();
    const stageName = `${liveName}__stage`;
    const onProgress = (rows: number) => updateTable(db, lineageId, { loadRows: rows });
    try {
      // What a crashed attempt left behind is dropped first; the live table is never touched here.
      await exec(db, `DROP TABLE IF EXISTS ${qualified(loadingName)}, ${qualified(stageName)}`);
      await exec(db, createTableSql(plan));
      const copied = await fill(resource, plan, stageName, onProgress);
      const convertedAt = Date.now();
      // Statistics before the swap: the first queries are planned with them. From a smaller sample
      // (6,000 rows instead of 30,000: about a third of the time, which readers wait for); the full
      // ANALYZE follows the full-text index.
      await db.transaction(async (tx) => {
        await exec(tx, `SET LOCAL default_statistics_target = ${quickStatisticsTarget}`);
        await exec(tx, `ANALYZE ${qualified(loadingName)}`);
      });
      const analyzedAt = Date.now();
      const swapped = await db.transaction(async (tx) => {
        const current = await findTable(tx, lineageId, { forUpdate: true });
        // A newer revision was published while this one loaded: its own load will follow.
        if (current?.loadResourceId !== resource.id) return false;
        await exec(tx, `DROP TABLE IF EXISTS ${qualified(liveName)}`);
        await exec(tx, `ALTER TABLE ${qualified(loadingName)} RENAME TO ${quoteIdentifier(liveName)}`);
        await updateTable(tx, lineageId, {
          tableName: liveName,
          resourceId: resource.id,
          sourceSha256: resource.sha256,
          // The extra cells of long rows are a column of their own, read like the others.
          // Which columns hold no blank is known once they are indexed (buildIndexes).
          fields: [
            ...fields,
            ...(plan.withExtra ? [{ id: systemColumns.extra, label: systemColumns.extra, type: 'text' as const }] : []),
          ],
          rowCount: copied.rowCount,
          loadedAt: new Date(),
          loadState: 'done',
          loadRows: copied.rowCount,
          loadWarnings: copied.warnings.raggedRows > 0 ? copied.warnings : null,
          indexes: 'building',
          fullText: fullTextIndexSql(liveName, fields) ? 'building' : 'ready',
        });
        return true;
      });
      if (!swapped) {
        await exec(db, `DROP TABLE IF EXISTS ${qualified(loadingName)}`);
        return 'superseded';
      }
      log.info(
        { lineageId, rows: copied.rowCount, via: copied.via, stageMs: copied.stageMs, copyMs: convertedAt - started, analyzeMs: analyzedAt - convertedAt, swapMs: Date.now() - analyzedAt },
        'datastore table loaded',
      );
    } catch (error) {
      await exec(db, `DROP TABLE IF EXISTS ${qualified(loadingName)}, ${qualified(stageName)}`).catch(() => {});
      if (error instanceof LoadError) {
        await updateTable(db, lineageId, { loadState: 'failed', loadError: { row: error.row, reason: error.reason, params: error.params } });
        return 'failed';
      }
      const willRetry = attempt.retryCount < attempt.retryLimit;
      await updateTable(db, lineageId, {
        loadState: willRetry ? 'queued' : 'failed',
        loadError: { reason: 'datastore.load_interrupted', params: { message: String((error as Error).message ?? error).slice(0, 300) } },
      }).catch(() => {});
      log.warn({ err: error, lineageId, willRetry }, 'datastore load failed');
      throw error;
    }
    if (options.afterSwap !== false) await afterSwap(lineageId, attempt);
    return 'loaded';
  }

  /** The steps on the live table, each skipped when its state is already ready. */
  async function afterSwap(lineageId: string, attempt: Attempt): Promise<void> {
    await buildIndexes(lineageId, attempt);
    await buildFullText(lineageId, attempt);
  }

  /**
   * The live table's filter indexes and primary key, then which of its indexed columns hold no
   * blank, and the state. Plain CREATE INDEX: it blocks writes only, and the public never writes
   * to a DataStore table; readers filter by scanning until it is done. Throws after recording the
   * state, so that the job is retried.
   */
  async function buildIndexes(lineageId: string, attempt: Attempt = { retryCount: 0, retryLimit: 0 }): Promise<void> {
    const table = await findTable(db, lineageId);
    if (!table?.resourceId || table.indexes === 'ready') return;
    const live = table.tableName;
    const fields = table.fields.filter((field) => field.id !== systemColumns.extra);
    const started = Date.now();
    try {
      // What an attempt killed midway built (a build cut midway leaves nothing); the full-text index stays.
      await exec(db, `ALTER TABLE ${qualified(live)} DROP CONSTRAINT IF EXISTS ${quoteIdentifier(`${live}_pk`)}`);
      const leftover = rowsOf<{ name: string }>(
        await db.execute(sql`select indexname as name from pg_indexes where schemaname = 'datastore' and tablename = ${live} and indexname <> ${`${live}_ft`}`),
      );
      for (const { name } of leftover) await exec(db, `DROP INDEX IF EXISTS datastore.${quoteIdentifier(name)}`);
      const stats = await columnStats(live, fields);
      const indexed = indexColumns(fields, stats);
      const built = await runIndexBuilds(indexSql(live, byBuildCost(indexed)), primaryKeySql(live));
      const nullable = await nullableColumns(live, fields, indexed.map((list) => list[0]), stats);
      // Full statistics (the swap's were from a small sample): here when no full-text index follows.
      if (!fullTextIndexSql(live, table.fields)) await exec(db, `ANALYZE ${qualified(live)}`);
      // Only if the same file still serves: a newer swap dropped this table and its indexes with it.
      await db.transaction(async (tx) => {
        const current = await findTable(tx, lineageId, { forUpdate: true });
        if (current?.resourceId !== table.resourceId || current.tableName !== live) return;
        await updateTable(tx, lineageId, {
          indexes: 'ready',
          fields: current.fields.map((field) => (nullable.has(field.id) || field.id === systemColumns.extra ? field : { ...field, nulls: false })),
        });
      });
      log.info({ lineageId, indexMs: Date.now() - started, indexes: built }, 'datastore filter indexes built');
    } catch (error) {
      const willRetry = attempt.retryCount < attempt.retryLimit;
      await updateTable(db, lineageId, { indexes: willRetry ? 'building' : 'failed' }).catch(() => {});
      log.warn({ err: error, lineageId, willRetry }, 'datastore filter indexes failed');
      throw error;
    }
  }

  /**
   * The live table's full-text index and its state. CREATE INDEX lets readers in (it blocks only
   * writes, and a live table has none); the next load of the lineage waits for this job to end.
   * Throws after recording the state, so that the job is retried.
   */
  async function buildFullText(lineageId: string, attempt: Attempt = { retryCount: 0, retryLimit: 0 }): Promise<void> {
    const table = await findTable(db, lineageId);
    if (!table?.resourceId || table.fullText === 'ready' || table.fullText === 'column') return;
    const index = fullTextIndexSql(table.tableName, table.fields);
    const started = Date.now();
    try {
      if (index) {
        await onSession([
          `SET maintenance_work_mem = '${indexBuildMemory}'`,
          // What an attempt killed after the build left (a build cut midway leaves nothing).
          `DROP INDEX IF EXISTS datastore.${quoteIdentifier(index.name)}`,
          index.create,
          'RESET maintenance_work_mem',
        ]);
      }
      // Full statistics (the swap's were from a small sample), with the indexed expression's: how many rows a word matches.
      await exec(db, `ANALYZE ${qualified(table.tableName)}`);
      // Only if the same file still serves: a newer swap dropped this table and its index with it.
      await db.transaction(async (tx) => {
        const current = await findTable(tx, lineageId, { forUpdate: true });
        if (current?.resourceId === table.resourceId && current.tableName === table.tableName) await updateTable(tx, lineageId, { fullText: 'ready' });
      });
      log.info({ lineageId, fullTextMs: Date.now() - started }, 'datastore full-text index built');
    } catch (error) {
      const willRetry = attempt.retryCount < attempt.retryLimit;
      await updateTable(db, lineageId, { fullText: willRetry ? 'building' : 'failed' }).catch(() => {});
      log.warn({ err: error, lineageId, willRetry }, 'datastore full-text index failed');
      throw error;
    }
  }

  /**
   * Statements in order on one session (a pool connection on a server; PGlite has only one), and the
   * milliseconds of each. Two sessions may share one iterator: each takes the next statement when free.
   */
  async function onSession(statements: Iterable<string>): Promise<Array<{ statement: string; ms: number }>> {
    const times: Array<{ statement: string; ms: number }> = [];
    const timed = async (statement: string, run: () => Promise<unknown>) => {
      const started = Date.now();
      await run();
      times.push({ statement, ms: Date.now() - started });
    };
    const pool = handle.pool;
    if (!pool) {
      for (const statement of statements) await timed(statement, () => exec(db, statement));
      return times;
    }
    const client = await pool.connect();
    let failed = false;
    try {
      for (const statement of statements) await timed(statement, () => client.query(statement));
      return times;
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      // A session left with a setting or in an aborted state is not lent again.
      client.release(failed);
    }
  }

  /**
   * Fills the loading table (created by the caller). On a PostgreSQL server, a CSV goes whole to
   * COPY's own reader, straight into the typed table, the cells PostgreSQL's input functions would
   * not read as the exact rules do (decimal commas, yes/no, month/year) rewritten on the way
   * (copyFileTyped); if COPY or the rewrite refuses a cell, into a staging table converted to types
   * in SQL, which names the row and the reason. Otherwise (XLSX, PGlite, another encoding, ragged
   * or odd rows) rows are parsed and converted here.
   */
  async function fill(
    resource: Resource,
    plan: LoadPlan,
    stageName: string,
    onProgress: (rows: number) => Promise<void>,
  ): Promise<{ rowCount: number; warnings: LoadWarnings; via: 'direct' | 'file' | 'rows'; stageMs?: number }> {
    if (handle.pool && resource.format !== 'XLSX' && resource.rowCount !== null) {
      const file = await storage.open(resource.storageKey as string);
      if (!file) throw new LoadError(undefined, 'datastore.file_missing');
      try {
        await exec(db, `DROP TABLE ${qualified(plan.table)}`);
        await exec(db, createTableSql(plan, { direct: true }));
        const started = Date.now();
        const rowCount = await copyFileTyped(handle, plan, file.stream, resource.rowCount, onProgress);
        await exec(db, undoDirectSql(plan));
        return { rowCount, warnings: { raggedRows: 0, raggedRowNumbers: [] }, via: 'direct', stageMs: Date.now() - started };
      } catch (error) {
        file.stream.destroy();
        // Anything else (a lost connection…) is the job's retry; the caller drops the table.
        if (!(error instanceof FileNotCopyable)) throw error;
        log.info({ table: plan.table }, 'datastore direct COPY refused the file; staging it');
        // Whatever the direct COPY left: the staging path starts from an empty table of its own.
        await exec(db, `DROP TABLE ${qualified(plan.table)}`);
        await exec(db, createTableSql(plan));
      }
    }
    if (handle.pool && resource.format !== 'XLSX' && resource.rowCount !== null) {
      const file = await storage.open(resource.storageKey as string);
      if (!file) throw new LoadError(undefined, 'datastore.file_missing');
      try {
        await exec(db, createStagingSql(plan, stageName));
        const started = Date.now();
        const rowCount = await stageFile(handle, plan, stageName, file.stream, resource.rowCount, onProgress);
        const stageMs = Date.now() - started;
        await convert(plan, stageName);
        return { rowCount, warnings: { raggedRows: 0, raggedRowNumbers: [] }, via: 'file', stageMs };
      } catch (error) {
        file.stream.destroy();
        if (!(error instanceof FileNotCopyable)) throw error;
      } finally {
        await exec(db, `DROP TABLE IF EXISTS ${qualified(stageName)}`);
      }
    }
    const copied = await copyRows(handle, plan, sourceRowsOf(storage, resource), onProgress);
    return { ...copied, via: 'rows' };
  }

  /**
   * Staged text to typed columns in SQL: PostgreSQL's own casts first (fastConvertSql); if any cell
   * refuses them, the rows are dropped and the exact rules run (convertSql), which load what they
   * accept or make the first cell that does not fit the officer's row and reason.
   */
  async function convert(plan: LoadPlan, stageName: string): Promise<void> {
    try {
      await convertInSlices(plan, stageName, fastConvertSql);
      return;
    } catch {
      await exec(db, `TRUNCATE ${qualified(plan.table)}`);
    }
    await convertInSlices(plan, stageName, convertSql);
  }

  async function convertInSlices(plan: LoadPlan, stageName: string, convertSqlOf: typeof convertSql): Promise<void> {
    // In slices of the staging table's pages on several connections: one INSERT … SELECT keeps one
    // core busy, and the conversion is most of a load's work.
    const [size] = rowsOf<{ pages: number }>(await db.execute(sql`select (pg_relation_size(${`datastore.${quoteIdentifier(stageName)}`}) / 8192)::int as pages`));
    const pages = Number(size?.pages ?? 0);
    const slices = pages < 2_000 ? 1 : conversionSlices;
    const statements = Array.from({ length: slices }, (_, i) =>
      slices === 1 ? convertSqlOf(plan, stageName) : convertSqlOf(plan, stageName, { from: (pages * i) / slices, to: i === slices - 1 ? Infinity : (pages * (i + 1)) / slices }),
    );
    const run = (statement: string) =>
      db.transaction(async (tx) => {
        // d/m/yyyy for the fast path's ::date; no JIT, whose compiling of these long expressions cost seconds.
        await exec(tx, `SET LOCAL datestyle = 'ISO, DMY'`);
        await exec(tx, 'SET LOCAL jit = off');
        await exec(tx, statement);
      });
    const results = await Promise.allSettled(statements.map(run));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    if (failures.length === 0) return;
    // The first bad cell of the file, whichever slice met it; any other failure as it is.
    const cells = failures.map((error) => ({ error, bad: badCellOf(error) }));
    const other = cells.find((cell) => !cell.bad);
    if (other) throw other.error;
    const bad = cells.map((cell) => cell.bad as { row: number; column: number }).sort((a, b) => a.row - b.row)[0];
    const field = plan.fields[bad.column];
    const [cell] = rowsOf<{ value: string | null }>(
      await db.execute(sql`select ${sql.identifier(`c${bad.column}`)} as value from ${sql.identifier('datastore')}.${sql.identifier(stageName)} where "_id" = ${bad.row - 1} limit 1`),
    );
    throw new LoadError(bad.row, badCellReason[field?.type ?? ''] ?? 'datastore.cell_not_text', { column: field?.label ?? '', value: (cell?.value ?? '').slice(0, 100) });
  }

  /** What ANALYZE sampled of each column (undefined for a column it has nothing on). */
  async function columnStats(table: string, fields: DatastoreField[]): Promise<Array<ColumnStats | undefined>> {
    const rows = rowsOf<{ attname: string; avg_width: number; null_frac: number; n_distinct: number }>(
      await db.execute(sql`select attname, avg_width, null_frac, n_distinct from pg_stats where schemaname = 'datastore' and tablename = ${table}`),
    );
    const byName = new Map(rows.map((row) => [row.attname, { width: Number(row.avg_width), nullFraction: Number(row.null_frac), distinct: Number(row.n_distinct) }]));
    return fields.map((field) => byName.get(field.id));
  }

  /**
   * The columns that may hold nulls. A sample without nulls proves nothing, but an indexed column
   * answers `is null` from its index at once; a column without an index is taken as nullable.
   */
  async function nullableColumns(table: string, fields: DatastoreField[], indexed: Array<{ id: string }>, stats: Array<ColumnStats | undefined>): Promise<Set<string>> {
    const nullable = new Set(fields.map((field) => field.id));
    for (const field of indexed) {
      if ((stats[fields.findIndex((entry) => entry.id === field.id)]?.nullFraction ?? 1) > 0) continue;
      const column = sql.identifier(field.id);
      const [row] = rowsOf<{ found: boolean }>(
        await db.execute(sql`select exists (select 1 from ${sql.identifier('datastore')}.${sql.identifier(table)} where ${column} is null) as found`),
      );
      if (row && !row.found) nullable.delete(field.id);
    }
    return nullable;
  }

  /**
   * The filter indexes, with more memory than the default 64 MB. On a PostgreSQL server on two
   * sessions side by side (CREATE INDEX lets other index builds of the table run), then the
   * primary key is set.
   */
  async function runIndexBuilds(statements: string[], primaryKey: string): Promise<Record<string, number>> {
    // One queue, costliest first (the caller's order): a session takes the next build when it is free.
    const queue = statements[Symbol.iterator]();
    function* session() {
      yield `SET maintenance_work_mem = '${indexBuildMemory}'`;
      yield* { [Symbol.iterator]: () => queue };
      yield 'RESET maintenance_work_mem';
    }
    const times = await Promise.all(Array.from({ length: handle.pool ? conversionSlices : 1 }, () => onSession(session())));
    await exec(db, primaryKey);
    // Each index's columns and build time, for the log.
    const built: Record<string, number> = {};
    for (const { statement, ms } of times.flat()) if (statement.startsWith('CREATE')) built[/\((.*)\)$/.exec(statement)?.[1] ?? statement] = ms;
    return built;
  }

  return { load, buildIndexes, buildFullText };
}

export type DatastoreLoader = ReturnType<typeof createDatastoreLoader>;

/** What the back office shows about a resource's table: live table, latest load, its progress or failure. */
export async function datastoreStatus(db: Queryable, actor: Actor | null, resourceId: string) {
  requireUuid(resourceId, 'errors.resource_not_found');
  const found = await findResourceWithDataset(db, resourceId);
  if (!found) throw notFound('errors.resource_not_found');
  authorize(actor, 'dataset.read', { agencyId: found.agencyId });
  const table = await findTable(db, found.resource.lineageId);
  return { resource: found.resource, datasetId: found.datasetId, datasetSlug: found.datasetSlug, agencyId: found.agencyId, loadable: isLoadable(found.resource), table: table ?? null };
}

/** An officer asks for the public file to be loaded again (after a failure, or to rebuild the table). */
export async function requestReload(db: DatabaseHandle['db'], actor: Actor | null, resourceId: string) {
  const status = await datastoreStatus(db, actor, resourceId);
  authorize(actor, 'datastore.reload', { agencyId: status.agencyId });
  await db.transaction(async (tx) => {
    const published = await findPublishedOfLineage(tx, status.resource.lineageId);
    if (!published || !isLoadable(published.resource)) throw conflict('datastore.not_loadable');
    await markQueued(tx, published.resource);
    // Loaded again even when the file is unchanged; the live table serves until the new one is in.
    await enqueueJob(tx, loadJobName, { lineageId: status.resource.lineageId, force: true }, { singletonKey: status.resource.lineageId });
  });
}

/**
 * CKAN's `datastore_active` for resources: true when the resource's lineage has a live table (a
 * newer file still loading, or refused, leaves the previous table serving). For the CKAN API's
 * presenters (package_show, resource_show).
 */
export async function datastoreActiveOf(db: Queryable, resources: Array<Pick<Resource, 'id' | 'lineageId' | 'sha256'>>): Promise<Set<string>> {
  const tables = new Map((await findTables(db, [...new Set(resources.map((resource) => resource.lineageId))])).map((table) => [table.lineageId, table]));
  return new Set(resources.filter((resource) => isActiveFor(tables.get(resource.lineageId), resource)).map((resource) => resource.id));
}

export function isActiveFor(table: DatastoreTable | undefined, _resource?: Pick<Resource, 'sha256'>): table is DatastoreTable {
  return Boolean(table?.resourceId);
}
