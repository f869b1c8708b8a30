import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * State that used to live in one process's memory and must be the same on every node (issue 17,
 * item 5): secrets made once per deployment, rate-limit counters, single-use form stamps.
 */

/** Keys the portal makes for itself on first start (e.g. the feedback form's signing key). */
export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Requests counted per route and client in a fixed window, for @fastify/rate-limit. */
export const rateLimitHits = pgTable(
  'rate_limit_hits',
  {
    key: text('key').primaryKey(),
    hits: integer('hits').notNull(),
    resetAt: timestamp('reset_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('rate_limit_hits_reset_idx').on(table.resetAt)],
);

/** Form stamps already accepted once; kept until the stamp would have expired anyway. */
export const usedFormStamps = pgTable(
  'used_form_stamps',
  {
    stampHash: text('stamp_hash').primaryKey(),
    usedAt: timestamp('used_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('used_form_stamps_used_idx').on(table.usedAt)],
);
