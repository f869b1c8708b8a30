import { addDays, atVietnamTime, vietnamDay } from '../../lib/calendar.ts';
import { type GraceDays, isPeriodic, periodsBetween } from '../catalogue/deadlines.ts';
import type { UpdateFrequency } from '../datasets/datasets.table.ts';
import { siteSettingDefaults } from '../settings/settings.defaults.ts';
import { rngFor } from './rng.ts';

const grace: GraceDays = {
  weekly: siteSettingDefaults.graceDaysWeekly,
  monthly: siteSettingDefaults.graceDaysMonthly,
  quarterly: siteSettingDefaults.graceDaysQuarterly,
  half_yearly: siteSettingDefaults.graceDaysHalfYearly,
  yearly: siteSettingDefaults.graceDaysYearly,
};

/** At 09:00 in Vietnam on a day. */
const morningOf = (day: string): Date => atVietnamTime(day, 9);

/**
 * Whether an agency keeps its deadlines in the demo, decided once per agency so that the reports show
 * some agencies on time and some late (about half and half).
 */
export function isDiligent(agencyName: string): boolean {
  return rngFor(`diligence:${agencyName}`).next() < 0.5;
}

/**
 * When a demo dataset's revisions were published: its first publication, then one update for each of
 * its periods since, inside the window for a diligent agency; late or missing for
 * the others. The last date is the revision the public sees.
 */
export function publicationHistory(input: { number: number; agencyName: string; frequency: UpdateFrequency; firstPublishedAt: Date; now: Date }): Date[] {
  const dates = [input.firstPublishedAt];
  if (!isPeriodic(input.frequency)) return dates;
  const rng = rngFor(`history:${input.number}`);
  const diligent = isDiligent(input.agencyName);
  const today = vietnamDay(input.now);
  const first = vietnamDay(input.firstPublishedAt);
  const periods = periodsBetween(input.frequency, first, today, grace).slice(1);
  for (const period of periods) {
    const window = grace[input.frequency];
    const roll = rng.next();
    let day: string | null;
    if (diligent ? roll < 0.95 : roll < 0.25) day = addDays(period.start, rng.int(0, window - 1));
    else if (!diligent && roll < 0.7) day = addDays(period.due, rng.int(1, 12));
    else day = null;
    if (day && day <= period.end && day < today) dates.push(morningOf(day));
  }
  return dates;
}
