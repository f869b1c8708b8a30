import { addDays, endOfVietnamDay, startOfVietnamDay, vietnamDay } from '../../lib/calendar.ts';
import { badRequest } from '../../lib/errors.ts';

/** A reporting period: a quarter (2026-Q4), a half-year (2026-H1) or a year (2026), as calendar days in Vietnam. */
export interface ReportPeriod {
  key: string;
  kind: 'quarter' | 'half' | 'year';
  /** Quarter or half number; 0 for a year. */
  part: number;
  year: number;
  start: string;
  end: string;
}

const pattern = /^(\d{4})(?:-(Q[1-4]|H[1-2]))?$/;

export function parseReportPeriod(text: string | undefined, now = new Date()): ReportPeriod {
  const value = (text ?? '').trim();
  if (value === '') {
    const today = vietnamDay(now);
    return parseReportPeriod(`${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`);
  }
  const match = pattern.exec(value);
  const year = match ? Number(match[1]) : 0;
  if (!match || year < 2000 || year > 2200) throw badRequest('reports.bad_period', { value: value.slice(0, 20) });
  const part = match[2] ? Number(match[2].slice(1)) : 0;
  const kind = !match[2] ? 'year' : match[2].startsWith('Q') ? 'quarter' : 'half';
  const months = kind === 'quarter' ? 3 : kind === 'half' ? 6 : 12;
  const firstMonth = kind === 'year' ? 0 : (part - 1) * months;
  const start = `${year}-${String(firstMonth + 1).padStart(2, '0')}-01`;
  const next = firstMonth + months === 12 ? `${year + 1}-01-01` : `${year}-${String(firstMonth + months + 1).padStart(2, '0')}-01`;
  return { key: value, kind, part, year, start, end: addDays(next, -1) };
}

/** The last instant of the period's last day in Vietnam. */
export const endInstant = (period: ReportPeriod): Date => endOfVietnamDay(period.end);
export const startInstant = (period: ReportPeriod): Date => startOfVietnamDay(period.start);
