import { z } from 'zod';
import { updateFrequencies } from '../datasets/datasets.table.ts';

const trimmed = (max: number) =>
  z.preprocess((value) => (typeof value === 'string' ? value.trim() : (value ?? '')), z.string().max(max, { error: 'validation.too_long' }));
const required = (max: number) => trimmed(max).pipe(z.string().min(1, { error: 'validation.required' }));

/** What an agency asks DOIT to add to the catalogue (Art. 7.2): the Appendix II columns plus why. */
export const entryRequestForm = z.object({
  title: required(500),
  description: required(4000),
  reason: required(2000),
  frequency: z.enum(updateFrequencies, { error: 'catalogue.frequency_required' }),
  topicId: z.uuid({ error: 'catalogue.topic_required' }),
});
export type EntryRequestInput = z.infer<typeof entryRequestForm>;

/** DOIT adds the request to this year's catalogue in force or to next year's. */
export const approveRequestForm = z.object({
  target: z.enum(['current', 'next'], { error: 'requests.target_required' }),
});
export type ApproveRequestInput = z.infer<typeof approveRequestForm>;

export const declineRequestForm = z.object({
  declineReason: required(2000),
});
