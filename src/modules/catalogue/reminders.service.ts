import { and, desc, eq, gte } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/client.ts';
import { type Actor, authorize } from '../accounts/permissions.ts';
import { createSettingsService } from '../settings/settings.service.ts';
import { findCatalogueInForce } from './catalogue.repository.ts';
import { publicationTimes, trackedEntries } from './compliance.repository.ts';
import { currentDeadline, daysBetween, graceDaysFrom } from './compliance.service.ts';
import { addDays, startOfVietnamDay, vietnamDay } from '../../lib/calendar.ts';
import { deadlineReminders } from './reminders.table.ts';

/**
 * The daily reminder job: for every entry of the catalogue in force, a notice `deadlineReminderDays`
 * before its due day and one when the due day has passed with nothing published. Safe to run as often
 * and from as many processes as one likes: the unique key keeps each notice single. Returns how many
 * notices this run wrote.
 */
export async function runDeadlineReminders(db: Database, now = new Date()): Promise<number> {
  const site = await createSettingsService(db).site();
  const catalogue = await findCatalogueInForce(db, now.getFullYear());
  if (!catalogue) return 0;
  const entries = await trackedEntries(db, catalogue.id);
  const times = await publicationTimes(db, entries.flatMap((entry) => (entry.datasetId ? [entry.datasetId] : [])));
  const grace = graceDaysFrom(site);
  const today = vietnamDay(now);
  const rows: Array<typeof deadlineReminders.$inferInsert> = [];
  for (const entry of entries) {
    const deadline = currentDeadline(entry, entry.datasetId ? (times.get(entry.datasetId) ?? []) : [], grace, today);
    if (!deadline) continue;
    const days = daysBetween(today, deadline.due);
    const kind = deadline.state === 'overdue' ? 'passed' : days <= site.deadlineReminderDays ? 'before' : null;
    if (kind) rows.push({ entryId: entry.entryId, agencyId: entry.agencyId, periodKey: deadline.periodKey, kind, dueOn: deadline.due });
  }
  if (rows.length === 0) return 0;
  const written = await db.insert(deadlineReminders).values(rows).onConflictDoNothing().returning({ id: deadlineReminders.id });
  return written.length;
}

/** The agency's notices of the last 60 days, newest first (DOIT: every agency's). */
export async function recentReminders(db: Queryable, actor: Actor | null, now = new Date()) {
  authorize(actor, 'catalogue.read');
  const since = startOfVietnamDay(addDays(vietnamDay(now), -60));
  const scope = actor.role === 'admin' ? gte(deadlineReminders.createdAt, since) : and(eq(deadlineReminders.agencyId, actor.agencyId ?? ''), gte(deadlineReminders.createdAt, since));
  return db.select().from(deadlineReminders).where(scope).orderBy(desc(deadlineReminders.createdAt)).limit(50);
}
