import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.table.ts';
import { datasetRevisions } from '../datasets/datasets.table.ts';
import type { Resource } from '../resources/resources.table.ts';

export interface ReturnedSnapshot {
  fields: Record<string, unknown>;
  resources: Resource[];
}

export const reviewActions = ['submit', 'approve', 'return', 'withdraw'] as const;

/**
 * Every step of the approval flow (782 Art. 8.3): who submitted, approved, returned (with the
 * leader's written directions) or withdrew which revision, and whether personal-data flags were confirmed.
 */
export const revisionReviews = pgTable(
  'revision_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    revisionId: uuid('revision_id')
      .notNull()
      .references(() => datasetRevisions.id, { onDelete: 'cascade' }),
    action: text('action', { enum: reviewActions }).notNull(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    comment: text('comment').notNull().default(''),
    /** The leader ticked "I have checked: no personal data is disclosed" for a revision with flags. */
    piiConfirmed: boolean('pii_confirmed').notNull().default(false),
    /**
     * On a return: the revision as the leader saw it (compared fields and files), so that after the
     * officer resends it the leader sees what changed since, not the whole dataset again.
     */
    snapshot: jsonb('snapshot').$type<ReturnedSnapshot>(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('revision_reviews_revision_idx').on(table.revisionId, table.at),
    check('revision_reviews_action_check', sql`${table.action} in ('submit', 'approve', 'return', 'withdraw')`),
  ],
);

export type RevisionReview = typeof revisionReviews.$inferSelect;
