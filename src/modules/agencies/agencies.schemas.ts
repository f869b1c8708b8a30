import { z } from 'zod';
import { trimmedText as trimmed } from '../../lib/forms.ts';
import { agencyKinds } from './agencies.table.ts';
const optionalText = (max: number) => trimmed(max).transform((value) => (value === '' ? null : value));

export const agencyForm = z.object({
  name: trimmed(200).pipe(z.string().min(2, { error: 'validation.required' })),
  slug: trimmed(80).pipe(z.string().regex(/^([a-z0-9]+(-[a-z0-9]+)*)?$/, { error: 'agencies.slug_format' })),
  kind: z.enum(agencyKinds, { error: 'agencies.kind_required' }),
  description: trimmed(2000),
  email: optionalText(254).pipe(z.email({ error: 'validation.email' }).nullable()),
  phone: optionalText(40).pipe(z.string().regex(/^[0-9 +().-]{6,40}$/, { error: 'agencies.phone_format' }).nullable()),
  website: optionalText(300).pipe(z.url({ protocol: /^https?$/, error: 'validation.url' }).nullable()),
  address: optionalText(300),
});
export type AgencyInput = z.infer<typeof agencyForm>;
