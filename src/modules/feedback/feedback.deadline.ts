/**
 * The clock of 782 Art. 9.2: an agency publishes its answer no later than N days after receiving the
 * feedback. N, calendar or working days, and the public holidays are settings DOIT edits (the law may
 * change: MISSION, "legal references are content"). Pure functions: dates in, dates out.
 */
import { addDays, addWorkingDays, daysBetween as daysBetweenDays, parseHolidays, vietnamDay } from '../../lib/calendar.ts';

export interface DeadlineRule {
  days: number;
  workingDays: boolean;
  /** Public holidays as YYYY-MM-DD, skipped when counting working days. */
  holidays: ReadonlySet<string>;
}

/**
 * The last day for the answer. Calendar days: the day of receipt plus N. Working days: the Nth day
 * after the day of receipt that is not a Saturday, a Sunday or a listed holiday.
 */
export function dueDateOf(receivedAt: Date, rule: DeadlineRule): string {
  const received = vietnamDay(receivedAt);
  return rule.workingDays ? addWorkingDays(received, rule.days, rule.holidays) : addDays(received, rule.days);
}

/** Whole calendar days between two instants, in the province's dates (the same day is 0). */
export function daysBetween(from: Date, to: Date): number {
  return daysBetweenDays(vietnamDay(from), vietnamDay(to));
}

/**
 * Late: answered after the due day, or not answered and the due day is over. Resolved or declined
 * feedback always has an answer time, so this covers every state.
 */
export function isOverdue(dueOn: string, answeredAt: Date | null, now: Date): boolean {
  return vietnamDay(answeredAt ?? now) > dueOn;
}

/** The rule as the settings say it today. */
export function deadlineRuleFrom(site: { feedbackDeadlineDays: number; feedbackWorkingDays: boolean; publicHolidays: string }): DeadlineRule {
  return { days: site.feedbackDeadlineDays, workingDays: site.feedbackWorkingDays, holidays: parseHolidays(site.publicHolidays) };
}
