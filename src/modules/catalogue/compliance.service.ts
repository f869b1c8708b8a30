import type { Queryable } from '../../db/client.ts';
import { daysBetween } from '../../lib/calendar.ts';
import { type Actor, agencyFilterOf, authorize } from '../accounts/permissions.ts';
import type { SiteSettings } from '../settings/settings.defaults.ts';
import { findCatalogueInForce } from './catalogue.repository.ts';
import { publicationTimes, type TrackedEntry, trackedEntries } from './compliance.repository.ts';
import { addDays, type AssessedPeriod, assessPeriods, type GraceDays, isPeriodic, periodContaining, vietnamDay } from './deadlines.ts';

export function graceDaysFrom(site: Pick<SiteSettings, 'graceDaysWeekly' | 'graceDaysMonthly' | 'graceDaysQuarterly' | 'graceDaysHalfYearly' | 'graceDaysYearly'>): GraceDays {
  return { weekly: site.graceDaysWeekly, monthly: site.graceDaysMonthly, quarterly: site.graceDaysQuarterly, half_yearly: site.graceDaysHalfYearly, yearly: site.graceDaysYearly };
}

// Whole days between two calendar days, for the reminders.
export { daysBetween };

export interface Deadline {
  entryId: string;
  number: number;
  title: string;
  agencyId: string;
  agencyName: string;
  datasetId: string | null;
  datasetSlug: string | null;
  /** 'first' for a first publication, else the period's key (2026-Q4). */
  periodKey: string;
  due: string;
  state: 'overdue' | 'due';
}

/**
 * The one deadline of an entry that matters today: the first publication while it is unpublished,
 * else the update of the current period (overdue when its window has closed with nothing published),
 * else the next period's update. Entries "when it changes" and without a first date have none.
 */
export function currentDeadline(entry: TrackedEntry, publishedAt: Date[], grace: GraceDays, today: string): Deadline | null {
  const base = { entryId: entry.entryId, number: entry.number, title: entry.title, agencyId: entry.agencyId, agencyName: entry.agencyName, datasetId: entry.datasetId, datasetSlug: entry.datasetSlug };
  if (!entry.online || !entry.firstPublishedAt) {
    if (!entry.firstPublicationDate) return null;
    return { ...base, periodKey: 'first', due: entry.firstPublicationDate, state: today > entry.firstPublicationDate ? 'overdue' : 'due' };
  }
  if (!isPeriodic(entry.frequency)) return null;
  const periods = assessEntry(entry, publishedAt, grace, today);
  const current = periods.at(-1);
  if (current?.status === 'overdue') return { ...base, periodKey: current.key, due: current.due, state: 'overdue' };
  if (current?.status === 'open') return { ...base, periodKey: current.key, due: current.due, state: 'due' };
  const next = periodContaining(entry.frequency, addDays(periodContaining(entry.frequency, today, grace).end, 1), grace);
  return { ...base, periodKey: next.key, due: next.due, state: 'due' };
}

/** The periods of a published, periodic entry up to today, each on time, late, overdue or open. */
export function assessEntry(entry: TrackedEntry, publishedAt: Date[], grace: GraceDays, today: string): AssessedPeriod[] {
  if (!isPeriodic(entry.frequency) || !entry.firstPublishedAt) return [];
  return assessPeriods({ frequency: entry.frequency, grace, publishedOn: publishedAt.map(vietnamDay), since: vietnamDay(entry.firstPublishedAt), today });
}

/** Entries of the catalogue in force, with their datasets' publication times: officers and leaders see their agency, DOIT all. */
export async function loadTracked(db: Queryable, actor: Actor, now: Date) {
  const catalogue = await findCatalogueInForce(db, now.getFullYear());
  if (!catalogue) return { catalogue: null, entries: [], times: new Map<string, Date[]>() };
  const entries = await trackedEntries(db, catalogue.id, agencyFilterOf(actor) ?? undefined);
  const times = await publicationTimes(db, entries.flatMap((entry) => (entry.datasetId ? [entry.datasetId] : [])));
  return { catalogue, entries, times };
}

/** The back-office home's lists: overdue now, and falling due within `withinDays` (30). */
export async function deadlinesFor(db: Queryable, actor: Actor | null, site: SiteSettings, now = new Date(), withinDays = 30) {
  authorize(actor, 'catalogue.read');
  const { entries, times } = await loadTracked(db, actor, now);
  const grace = graceDaysFrom(site);
  const today = vietnamDay(now);
  const overdue: Array<Deadline & { days: number }> = [];
  const dueSoon: Array<Deadline & { days: number }> = [];
  for (const entry of entries) {
    const deadline = currentDeadline(entry, entry.datasetId ? (times.get(entry.datasetId) ?? []) : [], grace, today);
    if (!deadline) continue;
    const days = daysBetween(today, deadline.due);
    if (deadline.state === 'overdue') overdue.push({ ...deadline, days: -days });
    else if (days <= withinDays) dueSoon.push({ ...deadline, days });
  }
  overdue.sort((a, b) => a.due.localeCompare(b.due) || a.number - b.number);
  dueSoon.sort((a, b) => a.due.localeCompare(b.due) || a.number - b.number);
  return { overdue, dueSoon, showAgency: agencyFilterOf(actor) === null };
}
