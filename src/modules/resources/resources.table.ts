import { bigint, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { datasetRevisions } from '../datasets/datasets.table.ts';

/**
 * A file or a link that belongs to one dataset revision. A new revision copies the rows of the
 * previous one; the stored file is shared by key, so unchanged files are never copied.
 */
export const resources = pgTable(
  'resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('resources_revision_idx').on(table.revisionId)],
);

export type Resource = typeof resources.$inferSelect;
export type NewResource = typeof resources.$inferInsert;
