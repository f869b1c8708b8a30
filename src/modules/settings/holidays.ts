import { parseHolidays, vietnamYear } from '../../lib/calendar.ts';

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
  const thisYear = vietnamYear(today);
  return {
    years: [...byYear.entries()].map(([year, days]) => ({ year, days })),
    missingYears: [thisYear, thisYear + 1].filter((year) => !byYear.has(year)),
  };
}
