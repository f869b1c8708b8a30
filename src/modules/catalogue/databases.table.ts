import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { agencies } from '../agencies/agencies.table.ts';
import { datasets } from '../datasets/datasets.table.ts';

/**
 * The province's database catalogue (Lai Châu plan, part II.1): every database an agency runs, what it
 * holds, and for each category of its data whether it is open, shared by default or shared on request.
 */
export const provinceDatabases = pgTable(
  'province_databases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    purpose: text('purpose').notNull().default(''),
    scope: text('scope').notNull().default(''),
    content: text('content').notNull().default(''),
    /** How the data is collected and kept up to date. */
    collection: text('collection').notNull().default(''),
    ownerAgencyId: uuid('owner_agency_id')
      .notNull()
      .references(() => agencies.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('province_databases_owner_idx').on(table.ownerAgencyId)],
);

/** Decree 47/2024 sharing classes: open data, shared by default between agencies, shared on request. */
export const sharingClasses = ['open', 'shared', 'on_request'] as const;
export type SharingClass = (typeof sharingClasses)[number];

export const databaseCategories = pgTable(
  'database_categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    databaseId: uuid('database_id')
      .notNull()
      .references(() => provinceDatabases.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
    name: text('name').notNull(),
    sharingClass: text('sharing_class', { enum: sharingClasses }).notNull(),
    /** The open dataset publishing this category; only open categories have one. */
    datasetId: uuid('dataset_id').references(() => datasets.id, { onDelete: 'set null' }),
  },
  (table) => [
    index('database_categories_database_idx').on(table.databaseId, table.position),
    check('database_categories_class_check', sql`${table.sharingClass} in ('open', 'shared', 'on_request')`),
    check('database_categories_open_link_check', sql`${table.datasetId} is null or ${table.sharingClass} = 'open'`),
  ],
);

export type ProvinceDatabase = typeof provinceDatabases.$inferSelect;
export type DatabaseCategory = typeof databaseCategories.$inferSelect;
