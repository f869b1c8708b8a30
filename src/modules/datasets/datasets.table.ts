import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { agencies } from '../agencies/agencies.table.ts';
import { topics } from '../topics/topics.table.ts';

export const updateFrequencies = ['weekly', 'monthly', 'quarterly', 'half_yearly', 'yearly', 'irregular'] as const;
export type UpdateFrequency = (typeof updateFrequencies)[number];

export const revisionStates = ['draft', 'pending_review', 'returned', 'published', 'superseded', 'withdrawn'] as const;
export type RevisionState = (typeof revisionStates)[number];

/**
 * A dataset is an identity (slug, owning agency); what it says lives in revisions. The public sees
 * the revision that `publishedRevisionId` points to, so a new draft never takes the old one offline.
 */
export const datasets = pgTable('datasets', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  agencyId: uuid('agency_id')
    .notNull()
    .references(() => agencies.id),
  publishedRevisionId: uuid('published_revision_id').references((): AnyPgColumn => datasetRevisions.id, {
    onDelete: 'set null',
  }),
  /** Number (TT) of the entry in the approved open data catalogue, when it came from there. */
  catalogueNumber: integer('catalogue_number'),
  firstPublishedAt: timestamp('first_published_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const datasetRevisions = pgTable(
  'dataset_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    state: text('state', { enum: revisionStates }).notNull().default('draft'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    topicId: uuid('topic_id')
      .notNull()
      .references(() => topics.id),
    updateFrequency: text('update_frequency', { enum: updateFrequencies }).notNull().default('yearly'),
    firstPublicationDate: date('first_publication_date'),
    notes: text('notes').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (table) => [
    unique('dataset_revisions_dataset_number_unique').on(table.datasetId, table.number),
    index('dataset_revisions_topic_idx').on(table.topicId),
    check(
      'dataset_revisions_state_check',
      sql`${table.state} in ('draft', 'pending_review', 'returned', 'published', 'superseded', 'withdrawn')`,
    ),
    check(
      'dataset_revisions_frequency_check',
      sql`${table.updateFrequency} in ('weekly', 'monthly', 'quarterly', 'half_yearly', 'yearly', 'irregular')`,
    ),
  ],
);

export type Dataset = typeof datasets.$inferSelect;
export type DatasetRevision = typeof datasetRevisions.$inferSelect;
export type NewDatasetRevision = typeof datasetRevisions.$inferInsert;
