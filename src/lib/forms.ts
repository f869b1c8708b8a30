import { z } from 'zod';
import type { Message } from '../i18n/i18n.ts';
import { isCalendarDay } from './calendar.ts';
import { AppError } from './errors.ts';

/** A text field, trimmed, at most `max` characters ("validation.too_long"); a missing field is ''. */
export const trimmedText = (max: number) =>
  z.preprocess((value) => (typeof value === 'string' ? value.trim() : (value ?? '')), z.string().max(max, { error: 'validation.too_long' }));

/** An optional day from a date input: YYYY-MM-DD and a real day (not 30/02), else `error`; empty is null. */
export const optionalCalendarDay = (error: string) =>
  trimmedText(10)
    .refine((value) => value === '' || isCalendarDay(value), { error })
    .transform((value) => value || null);

/** Field name → the sentence shown next to it (a translation key, or a key with values); "_form" for the whole form. */
export type FieldErrors = Record<string, string | Message>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * Parses a submitted form. Schemas give translation keys as their messages (e.g. "validation.required");
 * anything else becomes a generic sentence, so a user never sees zod's English.
 */
export function parseForm<T>(schema: z.ZodType<T>, body: unknown): FormResult<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (errors[field]) continue;
    const isKey = /^[a-z_]+\.[a-z_.]+$/.test(issue.message);
    errors[field] = isKey ? issue.message : issue.code === 'invalid_type' ? 'validation.required' : 'validation.invalid';
  }
  return { ok: false, errors };
}

/**
 * Turns a refusal from a service into errors for the form (a field's sentence, or one for the whole
 * form). Permission errors and server faults are not form errors: they are thrown on.
 */
export function formErrorsFrom(error: unknown): FieldErrors {
  if (error instanceof AppError && error.statusCode < 500 && error.statusCode !== 403 && error.statusCode !== 404) {
    return { [error.field ?? '_form']: { key: error.messageKey, params: error.params } };
  }
  throw error;
}

/** What the form shows back: the submitted values, never passwords. */
export function keptValues(body: unknown, secretFields: string[] = ['password', 'currentPassword', 'newPassword', 'confirmPassword']) {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (!secretFields.includes(key) && key !== '_csrf' && typeof value === 'string') values[key] = value;
    }
  }
  return values;
}
