import { z } from 'zod';
import { siteSettingDefaults } from './settings.defaults.ts';

type FieldSchema = z.ZodType;

/** One form field per setting, built from the defaults so a new setting appears in the form by itself. */
export const settingsForm = z.object(
  Object.fromEntries(
    Object.entries(siteSettingDefaults).map(([key, fallback]): [string, FieldSchema] => {
      if (typeof fallback === 'boolean') return [key, z.preprocess((value) => value === 'on' || value === 'true', z.boolean())];
      if (typeof fallback === 'number') {
        return [key, z.coerce.number({ error: 'validation.number' }).int({ error: 'validation.number' }).min(0, { error: 'settings.percent_range' }).max(100, { error: 'settings.percent_range' })];
      }
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

export const settingFields = Object.entries(siteSettingDefaults).map(([key, fallback]) => ({
  key,
  type: typeof fallback === 'boolean' ? 'checkbox' : typeof fallback === 'number' ? 'number' : key.startsWith('termsOfUse') || key.startsWith('tagline') || key.startsWith('legalBasis') || key.startsWith('citationTemplate') ? 'textarea' : 'text',
}));
