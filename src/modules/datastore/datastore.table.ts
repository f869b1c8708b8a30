import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A column of a loaded table: `id` is its SQL name (sanitised, unique), `label` the file's header. */
export interface DatastoreField {
  id: string;
  label: string;
  type: DatastoreFieldType;
  /**
   * false when the loaded column is known to hold no blank: a descending sort may then put nulls
   * first as PostgreSQL does, which its index can serve (absent on tables loaded before it was known).
   */
  nulls?: boolean;
}

export type DatastoreFieldType = 'integer' | 'numeric' | 'date' | 'boolean' | 'text';

/**
 * The live table's full-text index, built after the swap: `building` until it is there (a `q`
 * answers 409 meanwhile), `ready`, or `failed` once its retries are spent. `column` is a table
 * loaded before this existed, searched through its stored `_tsv` column.
 */
export type FullTextState = 'building' | 'ready' | 'failed' | 'column';

/**
 * The live table's filter indexes (and primary key), built after the swap before the full-text
 * index: `building` until they are there (filters work meanwhile, by scanning, under the statement
 * timeout), `ready`, or `failed` once the job's retries are spent.
 */
export type IndexState = 'building' | 'ready' | 'failed';

export interface LoadFailure {
  /** 1-based row of the file (the header is row 1), when one row is to blame. */
  row?: number;
  /** A translation key and its values, so the officer reads it in their language. */
  reason: string;
  params?: Record<string, string | number>;
}

export interface LoadWarnings {
  /** Rows with fewer or more cells than the header: short ones padded, extra cells kept in `_extra`. */
  raggedRows: number;
  raggedRowNumbers: number[];
}

/**
 * One row per resource lineage (the same file across revisions): the table the public reads
 * (`datastore.<table_name>`), what it was loaded from, and the state of the latest load. A load
 * fills a table of its own and swaps it in at the end, in one transaction.
 */
export const datastoreTables = pgTable('datastore_tables', {
  lineageId: uuid('lineage_id').primaryKey(),
  tableName: text('table_name').notNull(),
  /** The resource whose file is in the live table, and that file's hash; null before the first success. */
  resourceId: uuid('resource_id'),
  sourceSha256: text('source_sha256'),
  fields: jsonb('fields').$type<DatastoreField[]>().notNull().default([]),
  rowCount: integer('row_count'),
  loadedAt: timestamp('loaded_at', { withTimezone: true }),
  /** The latest load: queued → loading → done | failed. */
  loadResourceId: uuid('load_resource_id'),
  loadState: text('load_state').$type<'queued' | 'loading' | 'done' | 'failed'>().notNull().default('queued'),
  loadRows: integer('load_rows').notNull().default(0),
  loadTotal: integer('load_total'),
  loadAttempts: integer('load_attempts').notNull().default(0),
  loadError: jsonb('load_error').$type<LoadFailure>(),
  loadWarnings: jsonb('load_warnings').$type<LoadWarnings>(),
  fullText: text('full_text').$type<FullTextState>().notNull().default('building'),
  indexes: text('indexes').$type<IndexState>().notNull().default('building'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type DatastoreTable = typeof datastoreTables.$inferSelect;
