import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessPeriods, type GraceDays, periodContaining, periodsBetween, vietnamDay } from '../../../src/modules/catalogue/deadlines.ts';

const grace: GraceDays = { weekly: 3, monthly: 10, quarterly: 15, half_yearly: 30, yearly: 60 };

test('a quarterly entry is due 15 days from the first day of its quarter (Art. 8.4), on both sides of a quarter boundary', () => {
  assert.deepEqual(periodContaining('quarterly', '2026-03-31', grace), { key: '2026-Q1', start: '2026-01-01', end: '2026-03-31', due: '2026-01-15' });
  assert.deepEqual(periodContaining('quarterly', '2026-04-01', grace), { key: '2026-Q2', start: '2026-04-01', end: '2026-06-30', due: '2026-04-15' });
  assert.deepEqual(periodContaining('quarterly', '2026-12-31', grace), { key: '2026-Q4', start: '2026-10-01', end: '2026-12-31', due: '2026-10-15' });
});

test('monthly, half-yearly, yearly and weekly periods have their grace days as settings say', () => {
  assert.deepEqual(periodContaining('monthly', '2026-12-31', grace), { key: '2026-12', start: '2026-12-01', end: '2026-12-31', due: '2026-12-10' });
  assert.deepEqual(periodContaining('half_yearly', '2026-07-01', grace), { key: '2026-H2', start: '2026-07-01', end: '2026-12-31', due: '2026-07-30' });
  assert.deepEqual(periodContaining('yearly', '2026-12-31', grace), { key: '2026', start: '2026-01-01', end: '2026-12-31', due: '2026-03-01' });
  // 31 December 2026 is a Thursday: its ISO week is week 53 of 2026, running into January 2027.
  assert.deepEqual(periodContaining('weekly', '2026-12-31', grace), { key: '2026-W53', start: '2026-12-28', end: '2027-01-03', due: '2026-12-30' });
  assert.deepEqual(periodContaining('weekly', '2027-01-03', grace).key, '2026-W53');
  assert.deepEqual(periodContaining('weekly', '2027-01-04', grace).key, '2027-W01');
});

test('leap years: February has 29 days in 2024 and 28 in 2026, and a yearly window counts 29 February', () => {
  assert.equal(periodContaining('monthly', '2024-02-10', grace).end, '2024-02-29');
  assert.equal(periodContaining('monthly', '2026-02-10', grace).end, '2026-02-28');
  assert.equal(periodContaining('yearly', '2024-06-01', grace).due, '2024-02-29', '60 days from 1 January reach 29 February in a leap year');
  assert.equal(periodContaining('yearly', '2026-06-01', grace).due, '2026-03-01');
  assert.equal(periodContaining('monthly', '2024-02-01', { ...grace, monthly: 31 }).due, '2024-02-29', 'a window never outlives its period');
});

test('periods follow each other without gaps across years', () => {
  const quarters = periodsBetween('quarterly', '2025-11-20', '2026-04-02', grace).map((period) => period.key);
  assert.deepEqual(quarters, ['2025-Q4', '2026-Q1', '2026-Q2']);
  const weeks = periodsBetween('weekly', '2026-12-20', '2027-01-10', grace);
  for (let index = 1; index < weeks.length; index++) {
    assert.equal(new Date(`${weeks[index].start}T00:00:00Z`).getTime() - new Date(`${weeks[index - 1].end}T00:00:00Z`).getTime(), 86_400_000);
  }
});

test('on time vs overdue is decided from the publication history', () => {
  const periods = assessPeriods({
    frequency: 'quarterly',
    grace,
    since: '2025-11-01', // first published in Q4 2025: Q1 2026 is the first period counted
    publishedOn: ['2025-11-01', '2026-01-10', '2026-05-20', '2026-10-03'],
    today: '2026-10-10',
  });
  assert.deepEqual(
    periods.map((period) => [period.key, period.status, period.publishedOn]),
    [
      ['2026-Q1', 'on_time', '2026-01-10'],
      ['2026-Q2', 'late', '2026-05-20'],
      ['2026-Q3', 'overdue', null],
      ['2026-Q4', 'on_time', '2026-10-03'],
    ],
  );
  const open = assessPeriods({ frequency: 'quarterly', grace, since: '2025-11-01', publishedOn: [], today: '2026-01-15' });
  assert.deepEqual(open.map((period) => period.status), ['open'], 'on the due day itself the window is still open');
  const overdue = assessPeriods({ frequency: 'quarterly', grace, since: '2025-11-01', publishedOn: [], today: '2026-01-16' });
  assert.deepEqual(overdue.map((period) => period.status), ['overdue']);
});

test('publication instants count by the calendar day in Vietnam', () => {
  assert.equal(vietnamDay(new Date('2026-01-15T16:59:00Z')), '2026-01-15');
  assert.equal(vietnamDay(new Date('2026-01-15T17:00:00Z')), '2026-01-16', 'midnight in Hà Nội is 17:00 UTC');
});
