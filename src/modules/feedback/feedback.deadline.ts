/**
 * The clock of 782 Art. 9.2: an agency publishes its answer no later than N days after receiving the
 * feedback. N, calendar or working days, and the public holidays are settings DOIT edits (the law may
 * change: MISSION, "legal references are content"). Pure functions: dates in, dates out.
 */

export interface DeadlineRule {
  days: number;
  workingDays: boolean;
  /** Public holidays as YYYY-MM-DD, skipped when counting working days. */
  holidays: ReadonlySet<string>;
}

// Vietnam keeps UTC+7 all year (no daylight saving), so a fixed offset gives the province's date.
const provinceOffsetMs = 7 * 3_600_000;
const dayMs = 86_400_000;

/** The date (YYYY-MM-DD) it is in the province at this instant. */
export function provinceDateOf(at: Date): string {
  return new Date(at.getTime() + provinceOffsetMs).toISOString().slice(0, 10);
}

function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

function isWeekend(isoDate: string): boolean {
  const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/**
 * The last day for the answer. Calendar days: the day of receipt plus N. Working days: the Nth day
 * after the day of receipt that is not a Saturday, a Sunday or a listed holiday.
 */
export function dueDateOf(receivedAt: Date, rule: DeadlineRule): string {
  const received = provinceDateOf(receivedAt);
  if (!rule.workingDays) return addDays(received, rule.days);
  let day = received;
  let counted = 0;
  // Bounded: even a year of holidays cannot make this loop run away.
  for (let step = 0; counted < rule.days && step < 3_660; step++) {
    day = addDays(day, 1);
    if (!isWeekend(day) && !rule.holidays.has(day)) counted++;
  }
  return day;
}

/** Whole calendar days between two instants, in the province's dates (the same day is 0). */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((Date.parse(`${provinceDateOf(to)}T00:00:00Z`) - Date.parse(`${provinceDateOf(from)}T00:00:00Z`)) / dayMs);
}

/**
 * Late: answered after the due day, or not answered and the due day is over. Resolved or declined
 * feedback always has an answer time, so this covers every state.
 */
export function isOverdue(dueOn: string, answeredAt: Date | null, now: Date): boolean {
  return provinceDateOf(answeredAt ?? now) > dueOn;
}

const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export function isIsoDate(text: string): boolean {
  if (!isoDatePattern.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
}

/** DOIT's holiday list: dates separated by commas, semicolons, spaces or lines; anything else is ignored here (the settings form refuses it). */
export function parseHolidays(text: string): Set<string> {
  return new Set(text.split(/[\s,;]+/).filter(isIsoDate));
}

/** The rule as the settings say it today. */
export function deadlineRuleFrom(site: { feedbackDeadlineDays: number; feedbackWorkingDays: boolean; publicHolidays: string }): DeadlineRule {
  return { days: site.feedbackDeadlineDays, workingDays: site.feedbackWorkingDays, holidays: parseHolidays(site.publicHolidays) };
}
