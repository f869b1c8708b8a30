import { z } from 'zod';
import { endOfVietnamDay } from '../../lib/calendar.ts';
import { optionalCalendarDay, trimmedText as trimmed } from '../../lib/forms.ts';

/** The back office form: a name the officer recognises (the system that uses it) and an optional expiry. */
export const apiTokenForm = z.object({
  name: trimmed(100).pipe(z.string().min(3, { error: 'apitokens.name_required' })),
  expiresOn: optionalCalendarDay('apitokens.date_format')
    // Valid through the whole day in Vietnam (23:59:59 UTC was 06:59 of the next day there, and the list showed that day).
    .transform((day) => (day ? new Date(endOfVietnamDay(day).getTime() - 1000) : null))
    .refine((value) => value === null || (!Number.isNaN(value.getTime()) && value.getTime() > Date.now()), { error: 'apitokens.expiry_in_past' }),
});
export type ApiTokenInput = z.infer<typeof apiTokenForm>;
