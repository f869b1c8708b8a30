import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHolidays, vietnamDay } from '../../../src/lib/calendar.ts';
import { daysBetween, deadlineRuleFrom, dueDateOf, isOverdue } from '../../../src/modules/feedback/feedback.deadline.ts';
import { siteSettingDefaults } from '../../../src/modules/settings/settings.defaults.ts';

/*
 * The clock of 782 Art. 9.2: received + N days, calendar days by default, working days (no Saturdays,
 * Sundays or DOIT's holidays) as an option. Dates are the province's (UTC+7).
 */

const calendar = (days: number) => ({ days, workingDays: false, holidays: new Set<string>() });
const working = (days: number, holidays: string[] = []) => ({ days, workingDays: true, holidays: new Set(holidays) });
// 09:00 in the province on the given day.
const at = (isoDate: string, hour = 9) => new Date(`${isoDate}T${String(hour).padStart(2, '0')}:00:00+07:00`);

test('the due date with calendar days is the day of receipt plus ten, weekends and holidays included', () => {
  assert.equal(dueDateOf(at('2026-04-24'), calendar(10)), '2026-05-04');
  assert.equal(dueDateOf(at('2026-12-28'), calendar(10)), '2027-01-07', 'across a year end');
  assert.equal(dueDateOf(at('2028-02-25'), calendar(5)), '2028-03-01', 'across a leap day');
});

test('the due date counts the day of receipt in the province, not in UTC', () => {
  // 18:30 UTC on Friday the 24th is 01:30 on Saturday the 25th in the province.
  const lateNight = new Date('2026-04-24T18:30:00Z');
  assert.equal(vietnamDay(lateNight), '2026-04-25');
  assert.equal(dueDateOf(lateNight, calendar(10)), '2026-05-05');
});

test('the due date with working days skips a weekend and the public holidays', () => {
  // Friday 24 April 2026; Monday 27 April (Hùng Kings, moved), Thursday 30 April and Friday 1 May are holidays.
  const holidays = ['2026-04-27', '2026-04-30', '2026-05-01'];
  // Sat 25, Sun 26, Mon 27 (holiday) skipped → Tue 28 (1), Wed 29 (2), Thu 30 and Fri 1 (holidays),
  // Sat 2, Sun 3 skipped → Mon 4 May (3).
  assert.equal(dueDateOf(at('2026-04-24'), working(3, holidays)), '2026-05-04');
  // Without the holidays the same three working days end on Wednesday 29 April.
  assert.equal(dueDateOf(at('2026-04-24'), working(3)), '2026-04-29');
  // Ten working days from Monday 5 January 2026: two weekends in between.
  assert.equal(dueDateOf(at('2026-01-05'), working(10)), '2026-01-19');
  // Received on a Sunday: Monday is the first working day, or Tuesday when Monday is a holiday.
  assert.equal(dueDateOf(at('2026-04-26'), working(1)), '2026-04-27');
  assert.equal(dueDateOf(at('2026-04-26'), working(1, holidays)), '2026-04-28');
});

test('overdue marking: not answered after the due day, or answered after it; the due day itself is in time', () => {
  const dueOn = '2026-05-04';
  assert.equal(isOverdue(dueOn, null, at('2026-05-04', 23)), false, 'still the due day in the province');
  assert.equal(isOverdue(dueOn, null, new Date('2026-05-04T17:30:00Z')), true, '00:30 on 5 May in the province');
  assert.equal(isOverdue(dueOn, at('2026-05-03'), at('2026-06-01')), false, 'answered in time stays in time');
  assert.equal(isOverdue(dueOn, at('2026-05-06'), at('2026-05-06')), true, 'answered late stays late');
});

test('the time an answer took is counted in the province’s calendar days', () => {
  assert.equal(daysBetween(at('2026-04-24', 8), at('2026-04-24', 20)), 0);
  assert.equal(daysBetween(at('2026-04-24', 23), at('2026-04-25', 1)), 1);
  assert.equal(daysBetween(at('2026-04-24'), at('2026-05-04')), 10);
});

test('DOIT’s holiday list is read leniently here; the default settings are ten calendar days', () => {
  assert.deepEqual([...parseHolidays('2026-01-01, 2026-02-16;2026-02-17\n 2026-02-30 tết')], ['2026-01-01', '2026-02-16', '2026-02-17']);
  const rule = deadlineRuleFrom(siteSettingDefaults);
  assert.equal(rule.days, 10);
  assert.equal(rule.workingDays, false);
  assert.ok(rule.holidays.has('2026-09-02'));
});
