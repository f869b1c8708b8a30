import { boolean, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The last check of each linked resource's address (uData's "links reachable"). Keyed by the resource
 * lineage, so a new revision keeps the result until the next daily check.
 */
export const resourceLinkChecks = pgTable('resource_link_checks', {
  lineageId: uuid('lineage_id').primaryKey(),
  url: text('url').notNull(),
  ok: boolean('ok').notNull(),
  /** The HTTP status, or null when the address did not answer. */
  status: integer('status'),
  checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
});
