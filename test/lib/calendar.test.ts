import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addDays,
  addWorkingDays,
  daysBetween,
  endOfVietnamDay,
  formatDate,
  formatDateTime,
  invalidHolidays,
  isCalendarDay,
  parseCalendarDay,
  parseHolidays,
  startOfVietnamDay,
  vietnamDay,
  vietnamYear,
} from '../../src/lib/calendar.ts';

// MISSION: deadlines (782 Art. 8.4, 9.2) count calendar days in the province; one module decides what a day is.

test('a calendar day is real: 29 February only in leap years, never the 30th', () => {
  assert.equal(isCalendarDay('2024-02-29'), true);
  assert.equal(isCalendarDay('2000-02-29'), true, '2000 is a leap year (divisible by 400)');
  assert.equal(isCalendarDay('1900-02-29'), false, '1900 is not (divisible by 100)');
  assert.equal(isCalendarDay('2026-02-29'), false);
  assert.equal(isCalendarDay('2026-02-30'), false);
  assert.equal(isCalendarDay('2026-13-01'), false);
  assert.equal(isCalendarDay('2026-12-31'), true);
  assert.equal(isCalendarDay('2026-1-5'), false, 'the stored form has two digits');
  assert.equal(isCalendarDay('31/12/2026'), false);
});

test('a typed day is read as dd/mm/yyyy or yyyy-mm-dd and refused when impossible', () => {
  assert.equal(parseCalendarDay('31/12/2026'), '2026-12-31');
  assert.equal(parseCalendarDay(' 5.9.2025 '), '2025-09-05');
  assert.equal(parseCalendarDay('29-02-2024'), '2024-02-29');
  assert.equal(parseCalendarDay('2025-9-5'), '2025-09-05');
  assert.equal(parseCalendarDay('29/02/2025'), null);
  assert.equal(parseCalendarDay('31/04/2026'), null);
  assert.equal(parseCalendarDay('12/31/2026'), null, 'month-first is not the Vietnamese order');
  assert.equal(parseCalendarDay('hôm qua'), null);
});

test('adding days crosses month ends, leap days and 31 December', () => {
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2025-02-28', 1), '2025-03-01');
  assert.equal(addDays('2027-01-01', -1), '2026-12-31');
  assert.equal(daysBetween('2024-01-01', '2025-01-01'), 366);
  assert.equal(daysBetween('2026-12-31', '2026-12-31'), 0);
});

test('the day of an instant is the day in Vietnam (UTC+07:00): 31 December 17:00 UTC is already New Year there', () => {
  assert.equal(vietnamDay(new Date('2026-12-31T16:59:59Z')), '2026-12-31');
  assert.equal(vietnamDay(new Date('2026-12-31T17:00:00Z')), '2027-01-01');
  assert.equal(vietnamYear(new Date('2026-12-31T17:00:00Z')), 2027);
});

test('a day in Vietnam starts at 00:00+07:00 and ends at the next midnight there', () => {
  assert.equal(startOfVietnamDay('2027-01-01').toISOString(), '2026-12-31T17:00:00.000Z');
  assert.equal(endOfVietnamDay('2026-12-31').toISOString(), '2026-12-31T17:00:00.000Z');
  assert.equal(endOfVietnamDay('2024-02-28').toISOString(), '2024-02-28T17:00:00.000Z');
});

test('working days skip Saturdays, Sundays and the public holidays DOIT lists', () => {
  const holidays = parseHolidays('2026-01-01, 2026-04-30;2026-05-01\n2026-09-02 nonsense 2026-02-30');
  assert.deepEqual([...holidays], ['2026-01-01', '2026-04-30', '2026-05-01', '2026-09-02']);
  // Wednesday 31 December 2025 + 2 working days: 1 January is a holiday, so Friday 2, then Monday 5.
  assert.equal(addWorkingDays('2025-12-31', 2, holidays), '2026-01-05');
  // Wednesday 29 April + 1: 30 April and 1 May are holidays, then a weekend.
  assert.equal(addWorkingDays('2026-04-29', 1, holidays), '2026-05-04');
  assert.deepEqual(invalidHolidays('2026-01-01, 2026-02-30; 1/5/2026'), ['2026-02-30', '1/5/2026']);
});

test('dates show as dd/mm/yyyy with a 24-hour clock in Vietnamese and “5 Sep 2025 14:30” in English', () => {
  assert.equal(formatDate('vi', '2026-12-31'), '31/12/2026');
  assert.equal(formatDate('en', '2026-12-31'), '31 Dec 2026');
  const newYear = new Date('2026-12-31T17:30:00Z');
  assert.equal(formatDateTime('vi', newYear), '01/01/2027 00:30');
  assert.equal(formatDateTime('en', newYear), '1 Jan 2027 00:30');
  assert.equal(formatDateTime('vi', new Date('2026-06-01T15:05:00Z')), '01/06/2026 22:05');
});
