import { z } from 'zod';
import { optionalCalendarDay, trimmedText as trimmed } from '../../lib/forms.ts';
import { updateFrequencies } from './datasets.table.ts';

/**
 * The dataset form: the columns of the catalogue template (Appendix II: name, description, responsible
 * agency, first publication date, frequency, notes, topic group) and what a portal needs beside them.
 * The agency is never a field: it is always the officer's own.
 */
export const datasetForm = z.object({
  title: trimmed(300).pipe(z.string().min(5, { error: 'datasets.title_required' })),
  slug: trimmed(80).pipe(z.string().regex(/^([a-z0-9]+(-[a-z0-9]+)*)?$/, { error: 'agencies.slug_format' })),
  description: trimmed(10_000).pipe(z.string().min(20, { error: 'datasets.description_required' })),
  topicId: z.uuid({ error: 'datasets.topic_required' }),
  updateFrequency: z.enum(updateFrequencies, { error: 'datasets.frequency_required' }),
  // A real day: 2026-02-30 is refused next to the field, not by the database.
  firstPublicationDate: optionalCalendarDay('datasets.date_format'),
  notes: trimmed(2000),
  tags: trimmed(500).transform((value) =>
    [...new Set(value.split(/[,;]/).map((tag) => tag.trim().toLowerCase()).filter(Boolean))].slice(0, 20),
  ),
  licence: trimmed(300),
  temporalCoverage: trimmed(200),
  spatialCoverage: trimmed(200),
  contact: trimmed(300),
  /** The catalogue entry a new dataset publishes (chosen from the agency's to-do list); empty for none. */
  catalogueEntryId: z.preprocess((value) => (value === '' || value === undefined ? null : value), z.uuid({ error: 'catalogue.entry_not_found' }).nullable()),
});
export type DatasetInput = z.infer<typeof datasetForm>;

export const linkForm = z.object({
  name: trimmed(300).pipe(z.string().min(2, { error: 'validation.required' })),
  url: trimmed(2000).pipe(z.url({ protocol: /^https?$/, error: 'validation.url' })),
  format: trimmed(20).transform((value) => (value || 'API').toUpperCase()),
  description: trimmed(2000),
  /** A data sharing service (Lai Châu plan 4.2): listed at /services and in DCAT as dcat:DataService. */
  isService: z.preprocess((value) => value === 'on' || value === 'true' || value === true, z.boolean()).default(false),
  docsUrl: trimmed(2000).pipe(z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'validation.url' })])),
  accessConditions: trimmed(2000),
});
export type LinkInput = z.infer<typeof linkForm>;

export const returnForm = z.object({
  comment: trimmed(5000).pipe(z.string().min(5, { error: 'reviews.comment_required' })),
});

export const approveForm = z.object({
  piiConfirmed: z.preprocess((value) => value === 'on' || value === 'true', z.boolean()),
  comment: trimmed(5000),
});

export const withdrawForm = z.object({
  reason: trimmed(2000).pipe(z.string().min(5, { error: 'reviews.reason_required' })),
});
