import { bigint, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { datasetRevisions } from '../datasets/datasets.table.ts';
import type { ColumnType, TableProblem } from '../tabular/csv-inspect.ts';
import type { PiiFlag } from '../tabular/pii-scan.ts';

/**
 * A file or a link that belongs to one dataset revision. A new revision copies the rows of the
 * previous one; the stored file is shared by key, so unchanged files are never copied.
 */
export const resources = pgTable(
  'resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The same resource across revisions: a copy keeps it, so a review can tell "replaced" from "added". */
    lineageId: uuid('lineage_id').notNull().defaultRandom(),
    revisionId: uuid('revision_id')
      .notNull()
      .references(() => datasetRevisions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    format: text('format').notNull(),
    mediaType: text('media_type').notNull().default('application/octet-stream'),
    /** Key in file storage for an uploaded file; null for a link. */
    storageKey: text('storage_key'),
    /** Address of an external API or file, for a link. */
    url: text('url'),
    fileName: text('file_name'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    sha256: text('sha256'),
    rowCount: integer('row_count'),
    /** The uploaded bytes when they were not UTF-8 (e.g. Windows-1258); storageKey then holds the UTF-8 copy. */
    originalStorageKey: text('original_storage_key'),
    originalEncoding: text('original_encoding'),
    /** SHA-256 of the uploaded bytes kept under originalStorageKey (Art. 5.1 integrity: both copies are checked). */
    originalSha256: text('original_sha256'),
    /** Columns, types, preview rows and problems found at upload (tabular files only). */
    inspection: jsonb('inspection').$type<ResourceInspection>(),
    /** Columns that look like personal data (Decree 47 Art. 20). */
    piiFlags: jsonb('pii_flags').$type<PiiFlag[]>().notNull().default([]),
    /** Set when a link is a data sharing service (Lai Châu plan 4.2): its documentation and access conditions. */
    service: jsonb('service').$type<DataServiceInfo>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('resources_revision_idx').on(table.revisionId)],
);

export interface ResourceInspection {
  columns: Array<{ name: string; type: ColumnType }>;
  previewRows: string[][];
  problems: TableProblem[];
  wrongColumnCountTotal: number;
  delimiter?: string;
  sheetNames?: string[];
}

/** What a data sharing service says beyond its endpoint (the link's url) and description. */
export interface DataServiceInfo {
  docsUrl: string | null;
  accessConditions: string;
}

export type Resource = typeof resources.$inferSelect;
export type NewResource = typeof resources.$inferInsert;
