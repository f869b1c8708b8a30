import { z } from 'zod';
import { trimmedText as trimmed } from '../../lib/forms.ts';
import { updateFrequencies } from '../datasets/datasets.table.ts';
import { parseCatalogueDate } from './catalogue-csv.ts';

const required = (max: number) => trimmed(max).pipe(z.string().min(1, { error: 'validation.required' }));
/** dd/mm/yyyy or yyyy-mm-dd (a date input), stored as yyyy-mm-dd; empty is null. */
const optionalDate = trimmed(20).transform((value, context) => {
  if (value === '') return null;
  const date = parseCatalogueDate(value);
  if (!date) context.addIssue({ code: 'custom', message: 'catalogue.date_invalid' });
  return date;
});

export const yearForm = z.object({
  year: z.coerce.number({ error: 'catalogue.year_range' }).int({ error: 'catalogue.year_range' }).min(2000, { error: 'catalogue.year_range' }).max(2200, { error: 'catalogue.year_range' }),
});

export const entryForm = z.object({
  number: z.coerce.number({ error: 'catalogue.number_invalid' }).int({ error: 'catalogue.number_invalid' }).min(1, { error: 'catalogue.number_invalid' }).max(100_000, { error: 'catalogue.number_invalid' }),
  title: required(500),
  description: trimmed(4000),
  agencyId: z.uuid({ error: 'catalogue.agency_required' }),
  topicId: z.uuid({ error: 'catalogue.topic_required' }),
  firstPublicationDate: optionalDate,
  frequency: z.preprocess((value) => (value === '' ? null : value), z.enum(updateFrequencies, { error: 'catalogue.frequency_required' }).nullable()),
  notes: trimmed(2000),
});
export type EntryInput = z.infer<typeof entryForm>;

export const approveForm = z.object({
  decisionNumber: required(100),
  decisionDate: optionalDate.pipe(z.string({ error: 'validation.required' })),
  signer: required(200),
});
export type ApproveInput = z.infer<typeof approveForm>;

/** Filters of the public catalogue and of its downloads. */
export const entryFilterQuery = z.object({
  agency: z.string().max(100).optional(),
  topic: z.string().max(100).optional(),
  published: z.enum(['yes', 'no', '']).optional(),
});

/**
 * The targets form: rows year_N / percent_N; a row with both cells empty is dropped. Each wrong cell
 * gets its own sentence; an absurd percentage or year is refused rather than stored.
 */
export function parseTargetsForm(body: unknown): { ok: true; rows: Array<{ year: number; percent: number }> } | { ok: false; errors: Record<string, string> } {
  const values = (body ?? {}) as Record<string, unknown>;
  const rows: Array<{ year: number; percent: number }> = [];
  const errors: Record<string, string> = {};
  const seen = new Set<number>();
  for (let index = 0; index < 50; index++) {
    const yearText = String(values[`year_${index}`] ?? '').trim();
    const percentText = String(values[`percent_${index}`] ?? '').trim();
    if (yearText === '' && percentText === '') continue;
    const year = Number(yearText);
    const percent = Number(percentText);
    if (!/^\d{4}$/.test(yearText) || year < 2000 || year > 2200) errors[`year_${index}`] = 'catalogue.year_range';
    else if (seen.has(year)) errors[`year_${index}`] = 'catalogue.target_duplicate';
    if (!/^\d{1,3}$/.test(percentText) || percent > 100) errors[`percent_${index}`] = 'catalogue.target_percent_range';
    seen.add(year);
    rows.push({ year, percent });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, rows: rows.sort((a, b) => a.year - b.year) };
}
