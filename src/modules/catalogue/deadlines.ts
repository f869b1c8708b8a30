import { addDays, vietnamDay } from '../../lib/calendar.ts';
import type { UpdateFrequency } from '../datasets/datasets.table.ts';

/**
 * Update deadlines (782/QĐ-UBND Art. 8.4): each period of an entry's frequency opens a window that starts
 * on the period's first day and closes `grace` days later, the first day counting as day 1 (a quarter's
 * window is its first 15 days: 1–15 January for Q1). A dataset is on time for a period when a revision was
 * published inside the window. "When it changes" has no period and so no deadline.
 *
 * Dates are calendar days in Vietnam (UTC+7), written YYYY-MM-DD; all arithmetic is on UTC dates of
 * those days, so no timezone or daylight saving can shift a deadline.
 */
export type PeriodicFrequency = Exclude<UpdateFrequency, 'irregular'>;
export type GraceDays = Record<PeriodicFrequency, number>;

export interface Period {
  /** e.g. 2026-Q1, 2026-03, 2026-H2, 2026, 2026-W05 */
  key: string;
  start: string;
  /** Last day of the period. */
  end: string;
  /** Last day of the update window. */
  due: string;
}

const day = 86_400_000;

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);
const utc = (text: string): Date => new Date(`${text}T00:00:00Z`);
// Calendar arithmetic lives in src/lib/calendar.ts; re-exported for this module's callers.
export { addDays, vietnamDay };

export function isPeriodic(frequency: UpdateFrequency | null | undefined): frequency is PeriodicFrequency {
  return frequency !== null && frequency !== undefined && frequency !== 'irregular';
}

const monthsPer: Record<Exclude<PeriodicFrequency, 'weekly'>, number> = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 };

function keyOf(frequency: PeriodicFrequency, start: Date): string {
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth();
  switch (frequency) {
    case 'monthly':
      return `${year}-${String(month + 1).padStart(2, '0')}`;
    case 'quarterly':
      return `${year}-Q${month / 3 + 1}`;
    case 'half_yearly':
      return `${year}-H${month / 6 + 1}`;
    case 'yearly':
      return String(year);
    case 'weekly': {
      // ISO week: the week belongs to the year of its Thursday.
      const thursday = new Date(start.getTime() + 3 * day);
      const firstThursdayYear = thursday.getUTCFullYear();
      const jan1 = Date.UTC(firstThursdayYear, 0, 1);
      const week = Math.floor((thursday.getTime() - jan1) / (7 * day)) + 1;
      return `${firstThursdayYear}-W${String(week).padStart(2, '0')}`;
    }
  }
}

/** The period of `frequency` that contains `date` (YYYY-MM-DD), with its due date. */
export function periodContaining(frequency: PeriodicFrequency, date: string, grace: GraceDays): Period {
  const at = utc(date);
  let start: Date;
  let next: Date;
  if (frequency === 'weekly') {
    const weekday = (at.getUTCDay() + 6) % 7; // Monday = 0
    start = new Date(at.getTime() - weekday * day);
    next = new Date(start.getTime() + 7 * day);
  } else {
    const months = monthsPer[frequency];
    const firstMonth = Math.floor(at.getUTCMonth() / months) * months;
    start = new Date(Date.UTC(at.getUTCFullYear(), firstMonth, 1));
    next = new Date(Date.UTC(at.getUTCFullYear(), firstMonth + months, 1));
  }
  const end = new Date(next.getTime() - day);
  const dueDate = new Date(Math.min(start.getTime() + (grace[frequency] - 1) * day, end.getTime()));
  return { key: keyOf(frequency, start), start: isoDay(start), end: isoDay(end), due: isoDay(dueDate) };
}

/** Every period from the one containing `from` to the one containing `to`, in order. */
export function periodsBetween(frequency: PeriodicFrequency, from: string, to: string, grace: GraceDays): Period[] {
  const periods: Period[] = [];
  let period = periodContaining(frequency, from, grace);
  while (period.start <= to) {
    periods.push(period);
    period = periodContaining(frequency, addDays(period.end, 1), grace);
  }
  return periods;
}

export type PeriodStatus = 'on_time' | 'late' | 'overdue' | 'open';

export interface AssessedPeriod extends Period {
  status: PeriodStatus;
  /** The first publication inside the period, when there is one. */
  publishedOn: string | null;
}

/**
 * Each period from the one after the dataset's first publication up to today: on time (published in
 * the window), late (published in the period after its due date), overdue (due date passed, nothing
 * published) or open (window still running, nothing published yet).
 */
export function assessPeriods(input: {
  frequency: PeriodicFrequency;
  grace: GraceDays;
  /** Days (Vietnam) on which revisions were published. */
  publishedOn: string[];
  /** The first period counted is the one after the period containing this day. */
  since: string;
  today: string;
}): AssessedPeriod[] {
  const { frequency, grace, today } = input;
  const days = [...input.publishedOn].sort();
  const first = periodContaining(frequency, input.since, grace);
  const from = addDays(first.end, 1);
  if (from > today) return [];
  return periodsBetween(frequency, from, today, grace).map((period) => {
    const inPeriod = days.find((published) => published >= period.start && published <= period.end) ?? null;
    let status: PeriodStatus;
    if (inPeriod && inPeriod <= period.due) status = 'on_time';
    else if (inPeriod) status = 'late';
    else status = today > period.due ? 'overdue' : 'open';
    return { ...period, status, publishedOn: inPeriod };
  });
}
