import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.table.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { updateFrequencies } from '../datasets/datasets.table.ts';
import { topics } from '../topics/topics.table.ts';
import { catalogueEntries, catalogues } from './catalogue.table.ts';

/** A request waits for DOIT, who adds it to a catalogue or declines it with a reason (782/QĐ-UBND Art. 7.2). */
export const requestStates = ['pending', 'approved', 'declined'] as const;
export type RequestState = (typeof requestStates)[number];

/**
 * An agency's request for a new catalogue entry: a dataset the approved catalogue does not list starts
 * here, not as a dataset, so that the catalogue stays the one list of what the province publishes.
 */
export const catalogueRequests = pgTable(
  'catalogue_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    description: text('description').notNull(),
    reason: text('reason').notNull(),
    frequency: text('frequency', { enum: updateFrequencies }).notNull(),
    topicId: uuid('topic_id')
      .notNull()
      .references(() => topics.id),
    state: text('state', { enum: requestStates }).notNull().default('pending'),
    declineReason: text('decline_reason'),
    /** Where an approved request went: the catalogue and the entry made from it. */
    catalogueId: uuid('catalogue_id').references(() => catalogues.id, { onDelete: 'set null' }),
    entryId: uuid('entry_id').references(() => catalogueEntries.id, { onDelete: 'set null' }),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('catalogue_requests_agency_idx').on(table.agencyId, table.createdAt),
    index('catalogue_requests_state_idx').on(table.state, table.createdAt),
    check('catalogue_requests_state_check', sql`${table.state} in ('pending', 'approved', 'declined')`),
  ],
);

export type CatalogueRequest = typeof catalogueRequests.$inferSelect;
