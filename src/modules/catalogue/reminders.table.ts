import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { agencies } from '../agencies/agencies.table.ts';
import { catalogueEntries } from './catalogue.table.ts';

/**
 * Inbox notices about update deadlines. The unique key (entry, period, kind) is what makes the daily job
 * idempotent: however many processes run it at once, each notice exists once.
 */
export const deadlineReminders = pgTable(
  'deadline_reminders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => catalogueEntries.id, { onDelete: 'cascade' }),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    /** 'first' or the period's key (2026-Q4). */
    periodKey: text('period_key').notNull(),
    /** 'before': N days before the due day; 'passed': the due day went by with nothing published. */
    kind: text('kind', { enum: ['before', 'passed'] }).notNull(),
    dueOn: date('due_on').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique('deadline_reminders_once').on(table.entryId, table.periodKey, table.kind),
    index('deadline_reminders_agency_idx').on(table.agencyId, table.createdAt),
    check('deadline_reminders_kind_check', sql`${table.kind} in ('before', 'passed')`),
  ],
);
