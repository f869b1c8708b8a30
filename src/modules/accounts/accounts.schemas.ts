import { z } from 'zod';
import { type Role, roles } from './accounts.table.ts';

const text = (max: number) =>
  z.preprocess((value) => (typeof value === 'string' ? value.trim() : value), z.string({ error: 'validation.required' }).max(max, { error: 'validation.too_long' }));
const requiredText = (max: number) => text(max).pipe(z.string().min(1, { error: 'validation.required' }));
const email = requiredText(254).pipe(z.email({ error: 'validation.email' }));
// Passwords are never trimmed: a space is a character like any other.
const password = z.string({ error: 'validation.required' }).min(1, { error: 'validation.required' }).max(1024, { error: 'validation.too_long' });

export const signInForm = z.object({ email: requiredText(254), password, next: text(500).optional() });
export type SignInInput = z.infer<typeof signInForm>;

export const createAccountForm = z
  .object({
    email,
    displayName: requiredText(120),
    role: z.enum(roles, { error: 'accounts.role_required' }),
    agencyId: z.preprocess((value) => (value === '' ? undefined : value), z.uuid({ error: 'accounts.agency_required' }).optional()),
    password,
  })
  .superRefine((input, ctx) => {
    if (input.role !== 'admin' && !input.agencyId) ctx.addIssue({ code: 'custom', path: ['agencyId'], message: 'accounts.agency_required' });
  });
export type CreateAccountInput = z.infer<typeof createAccountForm>;

/** A new account form starts as an agency's officer: the account DOIT issues most often. */
export const newAccountDefaults: { role: Role } = { role: 'officer' };

export const changePasswordForm = z
  .object({ currentPassword: password, newPassword: password, confirmPassword: password })
  .superRefine((input, ctx) => {
    if (input.newPassword !== input.confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'accounts.passwords_differ' });
  });
export type ChangePasswordInput = z.infer<typeof changePasswordForm>;

export const completeResetForm = z
  .object({ newPassword: password, confirmPassword: password })
  .superRefine((input, ctx) => {
    if (input.newPassword !== input.confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'accounts.passwords_differ' });
  });
