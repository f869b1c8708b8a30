import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Values DOIT can change without a release (site identity, terms of use, legal deadlines). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
