import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { agencies } from '../agencies/agencies.table.ts';
import { datasets, updateFrequencies } from '../datasets/datasets.table.ts';
import { topics } from '../topics/topics.table.ts';

/** A catalogue's life (782/QĐ-UBND Art. 7): DOIT drafts it, submits it, the Chairman approves it, next year's replaces it. */
export const catalogueStatuses = ['draft', 'submitted', 'approved', 'superseded'] as const;
export type CatalogueStatus = (typeof catalogueStatuses)[number];

/** The open data catalogue (Danh mục dữ liệu mở) of one year. */
export const catalogues = pgTable(
  'catalogues',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    year: integer('year').notNull().unique(),
    status: text('status', { enum: catalogueStatuses }).notNull().default('draft'),
    /** The approving decision, e.g. "1234/QĐ-UBND", its date and who signed it. */
    decisionNumber: text('decision_number'),
    decisionDate: date('decision_date'),
    signer: text('signer'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('catalogues_status_check', sql`${table.status} in ('draft', 'submitted', 'approved', 'superseded')`),
    check('catalogues_year_check', sql`${table.year} between 2000 and 2200`),
  ],
);

/** One row of the catalogue, in the columns of the plans' Appendix II. */
export const catalogueEntries = pgTable(
  'catalogue_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    catalogueId: uuid('catalogue_id')
      .notNull()
      .references(() => catalogues.id, { onDelete: 'cascade' }),
    /** TT: the entry's number in the catalogue. */
    number: integer('number').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    topicId: uuid('topic_id')
      .notNull()
      .references(() => topics.id),
    firstPublicationDate: date('first_publication_date'),
    frequency: text('frequency', { enum: updateFrequencies }),
    notes: text('notes').notNull().default(''),
    /** The dataset published for this entry; empty while the entry is only planned. */
    datasetId: uuid('dataset_id').references(() => datasets.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique('catalogue_entries_number_unique').on(table.catalogueId, table.number),
    index('catalogue_entries_agency_idx').on(table.catalogueId, table.agencyId),
    index('catalogue_entries_dataset_idx').on(table.datasetId),
  ],
);

export type Catalogue = typeof catalogues.$inferSelect;
export type CatalogueEntryRow = typeof catalogueEntries.$inferSelect;
export type NewCatalogueEntry = typeof catalogueEntries.$inferInsert;
