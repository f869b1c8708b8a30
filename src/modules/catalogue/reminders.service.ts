import { and, desc, eq, gte, type SQL } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/client.ts';
import { formatDate, translator } from '../../i18n/i18n.ts';
import { type Actor, agencyFilterOf, authorize } from '../accounts/permissions.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { queueMail } from '../notifications/mail-queue.ts';
import { createSettingsService } from '../settings/settings.service.ts';
import { findCatalogueInForce } from './catalogue.repository.ts';
import { catalogueEntries } from './catalogue.table.ts';
import { publicationTimes, trackedEntries } from './compliance.repository.ts';
import { currentDeadline, daysBetween, graceDaysFrom } from './compliance.service.ts';
import { addDays, startOfVietnamDay, vietnamDay } from '../../lib/calendar.ts';
import { deadlineReminders } from './reminders.table.ts';
import { activeEmailsOf } from './requests.repository.ts';

export interface ReminderRunOptions {
  /** Set when SMTP is configured: each agency gets one mail listing the notices this run wrote. */
  mail?: { baseUrl: string };
}

/**
 * The daily reminder job: for every entry of the catalogue in force, a notice `deadlineReminderDays`
 * before its due day and one when the due day has passed with nothing published. Safe to run as often
 * and from as many processes as one likes: the unique key keeps each notice single, and mail is queued
 * in the same transaction only for the notices this run wrote, so a notice is mailed once too (a
 * concurrent run waits on the key, then finds the notice written and mails nothing). Returns how many
 * notices this run wrote.
 */
export async function runDeadlineReminders(db: Database, now = new Date(), options: ReminderRunOptions = {}): Promise<number> {
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
  const titleOf = new Map(entries.map((entry) => [entry.entryId, `${entry.number}. ${entry.title}`]));
  return db.transaction(async (tx) => {
    const written = await tx.insert(deadlineReminders).values(rows).onConflictDoNothing().returning();
    if (options.mail) await mailAgencies(tx, written, titleOf, options.mail.baseUrl);
    return written.length;
  });
}

async function mailAgencies(tx: Queryable, written: Array<typeof deadlineReminders.$inferSelect>, titleOf: Map<string, string>, baseUrl: string) {
  const t = translator('vi');
  const byAgency = new Map<string, typeof written>();
  for (const row of written) byAgency.set(row.agencyId, [...(byAgency.get(row.agencyId) ?? []), row]);
  for (const [agencyId, notices] of byAgency) {
    const lines = notices.map((notice) => `- ${titleOf.get(notice.entryId) ?? ''}: ${t(`catalogue.reminder_${notice.kind}`, { due: formatDate('vi', notice.dueOn) })}`);
    await queueMail(tx, {
      to: await activeEmailsOf(tx, agencyId),
      subject: t('catalogue.reminder_mail_subject', { count: notices.length }),
      text: t('catalogue.reminder_mail_body', { lines: lines.join('\n'), link: `${baseUrl}/admin` }),
    });
  }
}

/** The agency's notices of the last 60 days, newest first (whoever manages the catalogue: every agency's). */
export async function recentReminders(db: Queryable, actor: Actor | null, now = new Date()) {
  authorize(actor, 'catalogue.read');
  const since = startOfVietnamDay(addDays(vietnamDay(now), -60));
  const conditions: SQL[] = [gte(deadlineReminders.createdAt, since)];
  const agencyId = agencyFilterOf(actor);
  if (agencyId !== null) conditions.push(eq(deadlineReminders.agencyId, agencyId));
  return db
    .select({ reminder: deadlineReminders, number: catalogueEntries.number, title: catalogueEntries.title, datasetId: catalogueEntries.datasetId, agencyName: agencies.name })
    .from(deadlineReminders)
    .innerJoin(catalogueEntries, eq(catalogueEntries.id, deadlineReminders.entryId))
    .innerJoin(agencies, eq(agencies.id, deadlineReminders.agencyId))
    .where(and(...conditions))
    .orderBy(desc(deadlineReminders.createdAt), catalogueEntries.number)
    .limit(20);
}
export type ReminderRow = Awaited<ReturnType<typeof recentReminders>>[number];
