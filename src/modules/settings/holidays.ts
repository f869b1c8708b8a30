import { parseHolidays } from '../feedback/feedback.deadline.ts';

/**
 * The public holidays DOIT entered, year by year, and the next year whose list is still missing:
 * holidays are decided each year (Tết moves), so the working-day deadline of feedback answered in
 * January is only right once next year's list is in.
 */
export function holidayYears(list: string, today: Date) {
  const byYear = new Map<number, string[]>();
  for (const day of [...parseHolidays(list)].sort()) {
    const year = Number(day.slice(0, 4));
    byYear.set(year, [...(byYear.get(year) ?? []), day]);
  }
  // The year in Vietnam (UTC+7), not in UTC.
  const thisYear = new Date(today.getTime() + 7 * 3_600_000).getUTCFullYear();
  return {
    years: [...byYear.entries()].map(([year, days]) => ({ year, days })),
    missingYears: [thisYear, thisYear + 1].filter((year) => !byYear.has(year)),
  };
}
