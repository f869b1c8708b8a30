/**
 * The Vietnamese calendar of the portal, in one place: calendar days written YYYY-MM-DD, the province's
 * clock (UTC+7 all year, no daylight saving), working days with DOIT's public holidays, and the one way
 * dates are shown (dd/mm/yyyy with a 24-hour clock in Vietnamese, "5 Sep 2025 14:30" in English).
 *
 * A calendar day is a string, never a Date: arithmetic runs on the UTC midnight of that day, so no time
 * zone or daylight saving of the server can shift a deadline. An instant (a Date) becomes a day only
 * through `vietnamDay`, and a day becomes instants only through `startOfVietnamDay`/`endOfVietnamDay`.
 */

/** The province's time zone, for Intl and for SQL (`at time zone 'Asia/Ho_Chi_Minh'`). */
export const vietnamTimeZone = 'Asia/Ho_Chi_Minh';
/** Vietnam keeps UTC+7 all year, so a fixed offset gives the province's date and midnight. */
export const vietnamOffset = '+07:00';
const offsetMs = 7 * 3_600_000;
const dayMs = 86_400_000;

const isoDayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day a UTC-midnight Date stands for. */
const dayOfUtc = (date: Date): string => date.toISOString().slice(0, 10);
const utcMidnight = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/** A real calendar day, or null: the round trip catches 2026-02-30, 2025-02-29 and month 13. */
function dayFrom(year: number, month: number, day: number): string | null {
  if (year < 1 || year > 9999) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear puts them back.
  date.setUTCFullYear(year);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return dayOfUtc(date);
}

/** True for a real calendar day written YYYY-MM-DD (2026-02-30 is not one, 2024-02-29 is). */
export function isCalendarDay(text: string): boolean {
  const match = isoDayPattern.exec(text);
  return match !== null && dayFrom(Number(match[1]), Number(match[2]), Number(match[3])) === text;
}

/**
 * A day as people type it: dd/mm/yyyy (also with "-" or "."), or yyyy-mm-dd (one-digit day and month
 * allowed). Returns YYYY-MM-DD, or null for anything that is not a real day.
 */
export function parseCalendarDay(text: string): string | null {
  const value = text.trim();
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  const ymd = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const parts = dmy ? [dmy[3], dmy[2], dmy[1]] : ymd ? [ymd[1], ymd[2], ymd[3]] : null;
  return parts ? dayFrom(Number(parts[0]), Number(parts[1]), Number(parts[2])) : null;
}

/** The day `days` after (or before, when negative) a day. */
export function addDays(day: string, days: number): string {
  return dayOfUtc(new Date(utcMidnight(day) + days * dayMs));
}

/** Whole days from one day to another (the same day is 0; earlier `to` is negative). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / dayMs);
}

/** The calendar day it is in Vietnam at an instant (23:30 UTC on 31 December is already 1 January there). */
export function vietnamDay(instant: Date): string {
  return dayOfUtc(new Date(instant.getTime() + offsetMs));
}

/** The year it is in Vietnam at an instant. */
export function vietnamYear(instant: Date): number {
  return Number(vietnamDay(instant).slice(0, 4));
}

/** 00:00 of a day in Vietnam, as an instant. */
export function startOfVietnamDay(day: string): Date {
  return new Date(`${day}T00:00:00${vietnamOffset}`);
}

/** The first instant after a day in Vietnam (00:00 of the next day): "up to the end of `day`" is `< endOfVietnamDay(day)`. */
export function endOfVietnamDay(day: string): Date {
  return startOfVietnamDay(addDays(day, 1));
}

/** A given hour of a day in Vietnam, as an instant (demo data publishes at 09:00). */
export function atVietnamTime(day: string, hour: number, minute = 0): Date {
  return new Date(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00${vietnamOffset}`);
}

/** Saturday or Sunday. */
export function isWeekend(day: string): boolean {
  const weekday = new Date(utcMidnight(day)).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** DOIT's holiday list: days separated by commas, semicolons, spaces or lines; anything else is ignored here (the settings form refuses it). */
export function parseHolidays(text: string): Set<string> {
  return new Set(text.split(/[\s,;]+/).filter(isCalendarDay));
}

/** The items of a holiday list that are not real days (what the settings form refuses). */
export function invalidHolidays(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .filter((item) => !isCalendarDay(item));
}

export function isWorkingDay(day: string, holidays: ReadonlySet<string>): boolean {
  return !isWeekend(day) && !holidays.has(day);
}

/** The `count`th working day after `day` (not a Saturday, a Sunday or a listed holiday). */
export function addWorkingDays(day: string, count: number, holidays: ReadonlySet<string>): string {
  let current = day;
  let counted = 0;
  // Bounded: even a list that made every day a holiday cannot make this loop run away.
  for (let step = 0; counted < count && step < 3_660; step++) {
    current = addDays(current, 1);
    if (isWorkingDay(current, holidays)) counted++;
  }
  return current;
}

// ---- Showing dates -------------------------------------------------------------------------------

type Locale = 'vi' | 'en';

// en-GB writes "05/09/2025", the Vietnamese style (vi-VN's Intl output varies between ICU versions).
const viDay = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: vietnamTimeZone });
// en-US parts put in British order: "5 Sep 2025" (en-GB itself now writes "Sept").
const enDay = new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric', timeZone: vietnamTimeZone });
const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: vietnamTimeZone });

function dayText(locale: Locale, date: Date): string {
  if (locale === 'vi') return viDay.format(date);
  const part = (type: string) => enDay.formatToParts(date).find((item) => item.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('year')}`;
}

/** An instant, or a calendar day ("2025-09-05", a date column) taken as that day, never shifted by a time zone. */
function toDate(value: Date | string | null | undefined): Date | null {
  if (!value) return null;
  const only = typeof value === 'string' ? isoDayPattern.exec(value) : null;
  // Noon UTC of that day is the same day in Vietnam (UTC+7).
  const date = only ? new Date(utcMidnight(value as string) + 12 * 3_600_000) : typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "05/09/2025" (vi) or "5 Sep 2025" (en), the day in Vietnam; '' for nothing or an unreadable value. */
export function formatDate(locale: Locale, value: Date | string | null | undefined): string {
  const date = toDate(value);
  return date ? dayText(locale, date) : '';
}

/** "05/09/2025 14:30" (vi) or "5 Sep 2025 14:30" (en): always the 24-hour clock of Vietnam. */
export function formatDateTime(locale: Locale, value: Date | string | null | undefined): string {
  const date = toDate(value);
  return date ? `${dayText(locale, date)} ${clock.format(date)}` : '';
}
