import { z } from 'zod';
import { feedbackKinds } from './feedback.table.ts';

/** Plain text as typed: Windows line ends made Unix, control characters (other than line ends and tabs) dropped, trimmed. */
export function plainText(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
}

const text = (max: number) => z.preprocess(plainText, z.string().max(max, { error: 'validation.too_long' }));
const optionalId = z.preprocess((value) => (value === '' || value === undefined ? null : value), z.uuid({ error: 'validation.invalid' }).nullable());

/** Links are what spam is made of: a message may point to at most this many places. */
export const maxLinks = 2;
const linkPattern = /\b(?:https?:\/\/|www\.)\S+/gi;
export function countLinks(...texts: string[]): number {
  return texts.reduce((sum, part) => sum + (part.match(linkPattern)?.length ?? 0), 0);
}

export const feedbackLimits = { title: 200, message: 5000, name: 100, email: 254 } as const;

/**
 * The public form (782 Art. 9.1). Name and e-mail are optional, for a reply only. The honeypot
 * (`website`) and the signed fill-time stamp (`stamp`) are checked by the route, not here.
 */
export const feedbackForm = z
  .object({
    kind: z.enum(feedbackKinds, { error: 'feedback.kind_required' }),
    title: text(feedbackLimits.title).pipe(z.string().min(5, { error: 'feedback.title_required' })),
    message: text(feedbackLimits.message).pipe(z.string().min(10, { error: 'feedback.message_required' })),
    name: text(feedbackLimits.name),
    email: text(feedbackLimits.email).pipe(z.union([z.literal(''), z.email({ error: 'validation.email' })])),
    datasetId: optionalId,
    agencyId: optionalId,
    topicId: optionalId,
  })
  .superRefine((input, ctx) => {
    if (countLinks(input.title, input.message) > maxLinks) {
      ctx.addIssue({ code: 'custom', path: ['message'], message: 'feedback.too_many_links' });
    }
  });
export type FeedbackInput = z.infer<typeof feedbackForm>;

export const answerForm = z.object({
  body: text(10_000).pipe(z.string().min(10, { error: 'feedback.answer_required' })),
});

export const closeForm = z.object({
  outcome: z.enum(['resolved', 'declined'], { error: 'feedback.outcome_required' }),
  reason: text(2000).pipe(z.string().min(5, { error: 'feedback.reason_required' })),
});

export const forwardForm = z.object({
  note: text(2000).pipe(z.string().min(5, { error: 'feedback.note_required' })),
});

export const reassignForm = z.object({
  agencyId: z.uuid({ error: 'feedback.agency_required' }),
});

export const hideForm = z.object({
  hideReason: text(2000).pipe(z.string().min(5, { error: 'feedback.reason_required' })),
});

/** The dataset that answers a data request: its address on the portal or its slug. */
export const linkDatasetForm = z.object({
  dataset: text(500)
    .pipe(z.string().min(1, { error: 'feedback.dataset_required' }))
    .transform((value) => /\/dataset\/([^/?#\s]+)/.exec(value)?.[1] ?? value),
});

const listOf = (value: unknown) => (typeof value === 'string' ? value.slice(0, 100) : Array.isArray(value) && typeof value[0] === 'string' ? value[0].slice(0, 100) : '');

/** Filters of the public list, all in the URL; an unknown value is ignored, never a 500. */
export const publicListQuery = z.object({
  status: z.preprocess(listOf, z.enum(['open', 'answered', 'resolved', 'declined', 'overdue', '']).catch('')),
  type: z.preprocess(listOf, z.enum([...feedbackKinds, '']).catch('')),
  agency: z.preprocess(listOf, z.string()),
  topic: z.preprocess(listOf, z.string()),
  page: z.unknown().optional(),
});

/** Filters of the back-office inbox. */
export const inboxQuery = z.object({
  status: z.preprocess(listOf, z.enum(['open', 'answered', 'resolved', 'declined', 'overdue', 'hidden', 'all', '']).catch('')),
  page: z.unknown().optional(),
});
