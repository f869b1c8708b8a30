import { z } from 'zod';

const trimmed = (max: number) =>
  z.preprocess((value) => (typeof value === 'string' ? value.trim() : (value ?? '')), z.string().max(max, { error: 'validation.too_long' }));

/** The back office form: a name the officer recognises (the system that uses it) and an optional expiry. */
export const apiTokenForm = z.object({
  name: trimmed(100).pipe(z.string().min(3, { error: 'apitokens.name_required' })),
  expiresOn: trimmed(10)
    .pipe(z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, { error: 'apitokens.date_format' }))
    .transform((value) => (value ? new Date(`${value}T23:59:59Z`) : null))
    .refine((value) => value === null || (!Number.isNaN(value.getTime()) && value.getTime() > Date.now()), { error: 'apitokens.expiry_in_past' }),
});
export type ApiTokenInput = z.infer<typeof apiTokenForm>;
