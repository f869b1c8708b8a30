import { z } from 'zod';
import { invalidHolidays } from '../../lib/calendar.ts';
import { siteSettingDefaults } from './settings.defaults.ts';

type FieldSchema = z.ZodType;

/** Number settings and their allowed ranges, each with its own sentence. */
const numberRanges: Record<string, { min: number; max: number; error: string }> = {
  feedbackDeadlineDays: { min: 1, max: 60, error: 'settings.deadline_range' },
  // Excel's own limit is 16,384 columns.
  maxTableColumns: { min: 1, max: 16_384, error: 'settings.columns_range' },
  // A window is at least a day and never longer than its period.
  graceDaysWeekly: { min: 1, max: 7, error: 'settings.grace_weekly_range' },
  graceDaysMonthly: { min: 1, max: 28, error: 'settings.grace_monthly_range' },
  graceDaysQuarterly: { min: 1, max: 90, error: 'settings.grace_quarterly_range' },
  graceDaysHalfYearly: { min: 1, max: 181, error: 'settings.grace_half_yearly_range' },
  graceDaysYearly: { min: 1, max: 365, error: 'settings.grace_yearly_range' },
  deadlineReminderDays: { min: 1, max: 60, error: 'settings.reminder_range' },
  searchExactCountLimit: { min: 100, max: 1_000_000, error: 'settings.search_limit_range' },
};

/** A list of dates (YYYY-MM-DD) separated by commas, semicolons, spaces or lines; may be empty. */
const dateList = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim() : value),
  z
    .string({ error: 'validation.required' })
    .max(4000, { error: 'validation.too_long' })
    .refine((text) => invalidHolidays(text).length === 0, { error: 'settings.holidays_format' }),
);

/** One form field per setting, built from the defaults so a new setting appears in the form by itself. */
export const settingsForm = z.object(
  Object.fromEntries(
    Object.entries(siteSettingDefaults).map(([key, fallback]): [string, FieldSchema] => {
      if (typeof fallback === 'boolean') return [key, z.preprocess((value) => value === 'on' || value === 'true', z.boolean())];
      if (typeof fallback === 'number') {
        const range = numberRanges[key] ?? { min: 0, max: 1_000_000, error: 'validation.number' };
        return [key, z.coerce.number({ error: 'validation.number' }).int({ error: 'validation.number' }).min(range.min, { error: range.error }).max(range.max, { error: range.error })];
      }
      if (key === 'publicHolidays') return [key, dateList];
      const text = z.preprocess(
        (value) => (typeof value === 'string' ? value.trim() : value),
        z.string({ error: 'validation.required' }).min(1, { error: 'validation.required' }).max(4000, { error: 'validation.too_long' }),
      );
      if (key === 'operatorEmail') return [key, text.pipe(z.email({ error: 'validation.email' }))];
      return [
        key,
        z.preprocess((value) => (typeof value === 'string' ? value.trim() : value), z.string({ error: 'validation.required' }).min(1, { error: 'validation.required' }).max(4000, { error: 'validation.too_long' })),
      ];
    }),
  ),
);

/** Settings whose label needs a sentence of explanation (settings.<key>_help). */
const explained = new Set(['graceDaysWeekly', 'graceDaysMonthly', 'graceDaysQuarterly', 'graceDaysHalfYearly', 'graceDaysYearly', 'deadlineReminderDays']);

export const settingFields = Object.entries(siteSettingDefaults).map(([key, fallback]) => ({
  key,
  help: explained.has(key),
  type: typeof fallback === 'boolean' ? 'checkbox' : typeof fallback === 'number' ? 'number' : key.startsWith('termsOfUse') || key.startsWith('tagline') || key.startsWith('legalBasis') || key.startsWith('citationTemplate') || key === 'publicHolidays' ? 'textarea' : 'text',
}));
