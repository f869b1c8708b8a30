import { sql } from 'drizzle-orm';
import { check, integer, pgTable } from 'drizzle-orm/pg-core';

/**
 * The plans' yearly target: the share of agencies that provide open data (over 70% in 2023, 90% in 2024,
 * 100% from 2025). A year without a row takes the target of the latest year before it.
 */
export const publishingTargets = pgTable(
  'publishing_targets',
  {
    year: integer('year').primaryKey(),
    percent: integer('percent').notNull(),
  },
  (table) => [
    check('publishing_targets_percent_check', sql`${table.percent} between 0 and 100`),
    check('publishing_targets_year_check', sql`${table.year} between 2000 and 2200`),
  ],
);

export type PublishingTarget = typeof publishingTargets.$inferSelect;
