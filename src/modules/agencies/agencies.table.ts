import { sql } from 'drizzle-orm';
import { boolean, check, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The four kinds of state agency that publish data in a province (782/QĐ-UBND Art. 2). */
export const agencyKinds = ['department', 'district_committee', 'central_agency', 'socio_political'] as const;
export type AgencyKind = (typeof agencyKinds)[number];

export const agencies = pgTable(
  'agencies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    kind: text('kind', { enum: agencyKinds }).notNull(),
    description: text('description').notNull().default(''),
    email: text('email'),
    phone: text('phone'),
    website: text('website'),
    address: text('address'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('agencies_kind_check', sql`${table.kind} in ('department', 'district_committee', 'central_agency', 'socio_political')`),
  ],
);

export type Agency = typeof agencies.$inferSelect;
export type NewAgency = typeof agencies.$inferInsert;
