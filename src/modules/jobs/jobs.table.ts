import { bigserial, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Jobs asked for inside a business transaction (publishing, answering…). The row commits or rolls
 * back with that transaction; the runner moves it into pg-boss's queue in a transaction of its own,
 * so a job is never lost after a commit nor sent for a change that was rolled back.
 */
export const jobOutbox = pgTable('job_outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  /** pg-boss send options (singletonKey, startAfter seconds…). */
  options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
