import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { agencies } from '../agencies/agencies.table.ts';
import { topics } from '../topics/topics.table.ts';

export const updateFrequencies = ['weekly', 'monthly', 'quarterly', 'half_yearly', 'yearly', 'irregular'] as const;
export type UpdateFrequency = (typeof updateFrequencies)[number];

export const revisionStates = ['draft', 'pending_review', 'returned', 'published', 'superseded', 'withdrawn'] as const;
export type RevisionState = (typeof revisionStates)[number];
/** The states in which a revision is still being worked on (not yet approved or given up). */
export const openStates: RevisionState[] = ['draft', 'pending_review', 'returned'];
/** Approved revisions: the current one and the ones it replaced, all kept for the public history. */
export const approvedStates: RevisionState[] = ['published', 'superseded'];

/**
 * A dataset is an identity (slug, owning agency); what it says lives in revisions. The public sees
 * the revision that `publishedRevisionId` points to, so a new draft never takes the old one offline.
 */
export const datasets = pgTable(
  'datasets',
  {
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
    /** Set when a leader or DOIT takes the dataset offline, with the reason shown to DOIT. */
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnReason: text('withdrawn_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // An agency's public page reads its datasets without scanning all of them.
    index('datasets_agency_idx').on(table.agencyId),
    // Public pages join revisions → datasets through this pointer (a topic's page, the newest datasets),
    // and deleting a draft revision checks it (on delete set null) without a full scan.
    index('datasets_published_revision_idx').on(table.publishedRevisionId),
    // The newest change to any dataset tells the public pages whether their counts are still right.
    index('datasets_updated_at_idx').on(table.updatedAt),
  ],
);

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
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** Empty means the province's open data terms (a setting). */
    licence: text('licence').notNull().default(''),
    temporalCoverage: text('temporal_coverage').notNull().default(''),
    spatialCoverage: text('spatial_coverage').notNull().default(''),
    contact: text('contact').notNull().default(''),
    /** What this revision changed from the one before, written when it is approved (public history). */
    changeSummary: jsonb('change_summary').$type<ChangeSummary>(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (table) => [
    unique('dataset_revisions_dataset_number_unique').on(table.datasetId, table.number),
    // At most one revision in the works per dataset: edits of a published dataset all go to it.
    uniqueIndex('dataset_revisions_one_open_idx')
      .on(table.datasetId)
      .where(sql`${table.state} in ('draft', 'pending_review', 'returned')`),
    // A topic group's page walks its revisions in title order and stops after the page.
    index('dataset_revisions_topic_title_idx').on(table.topicId, table.title),
    // The back-office inbox reads each state newest first and stops at what it shows; its count reads one state.
    index('dataset_revisions_state_updated_idx').on(table.state, table.updatedAt.desc()),
    // "Newest datasets" on the home page stops after a few rows instead of sorting every revision.
    index('dataset_revisions_published_at_idx').on(table.publishedAt.desc().nullsLast(), table.title),
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

/** Field names that changed and counts of files added, removed and replaced. */
export interface ChangeSummary {
  fields: string[];
  added: number;
  removed: number;
  replaced: number;
}

export type Dataset = typeof datasets.$inferSelect;
export type DatasetRevision = typeof datasetRevisions.$inferSelect;
export type NewDatasetRevision = typeof datasetRevisions.$inferInsert;
