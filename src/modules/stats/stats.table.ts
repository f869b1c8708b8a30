import { bigint, date, index, pgTable, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Downloads per resource lineage and views per dataset. Increments are batched in memory and flushed
 * every few seconds, so counting never slows a page or a download.
 */
export const resourceDownloads = pgTable(
  'resource_downloads',
  {
    lineageId: uuid('lineage_id').primaryKey(),
    datasetId: uuid('dataset_id').notNull(),
    downloads: bigint('downloads', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('resource_downloads_dataset_idx').on(table.datasetId),
    // The last flush tells the home page whether its "most downloaded" list is still right.
    index('resource_downloads_updated_at_idx').on(table.updatedAt),
  ],
);

export const datasetViews = pgTable('dataset_views', {
  datasetId: uuid('dataset_id').primaryKey(),
  views: bigint('views', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Views and downloads per dataset and calendar day in Vietnam, so reports give the figures of the
 * period asked for rather than running totals. Written by the same flush as the totals above.
 */
export const datasetDailyStats = pgTable(
  'dataset_daily_stats',
  {
    datasetId: uuid('dataset_id').notNull(),
    day: date('day').notNull(),
    views: bigint('views', { mode: 'number' }).notNull().default(0),
    downloads: bigint('downloads', { mode: 'number' }).notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.datasetId, table.day] }), index('dataset_daily_stats_day_idx').on(table.day)],
);
