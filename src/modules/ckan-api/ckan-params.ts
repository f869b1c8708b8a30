import type { Translate } from '../../i18n/i18n.ts';
import { CkanActionError } from './ckan-actions.ts';

/**
 * Reading an action's parameters as CKAN does: GET gives strings, JSON gives typed values, so
 * `rows=10` and `{"rows": 10}` mean the same. Refusals are CKAN validation errors naming the field.
 */
export function stringParam(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function requiredString(params: Record<string, unknown>, name: string, t: Translate): string {
  const value = stringParam(params, name)?.trim();
  if (!value) throw new CkanActionError('validation', t('ckan.missing_value_of', { field: name }), { [name]: [t('ckan.missing_value')] });
  return value;
}

export function intParam(params: Record<string, unknown>, name: string, t: Translate, options: { fallback: number; max?: number }): number {
  const raw = stringParam(params, name);
  if (raw === undefined || raw === '') return options.fallback;
  if (!/^\d{1,9}$/.test(raw.trim())) throw new CkanActionError('validation', t('ckan.invalid_integer', { field: name }), { [name]: [t('ckan.must_be_natural')] });
  const value = Number(raw.trim());
  if (options.max !== undefined && value > options.max) {
    throw new CkanActionError('validation', t('ckan.too_large', { field: name, max: options.max }), { [name]: [t('ckan.at_most', { max: options.max })] });
  }
  return value;
}

export function boolParam(params: Record<string, unknown>, name: string, fallback = false): boolean {
  const value = params[name];
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return ['true', '1', 'yes', 'on'].includes(value.toLowerCase());
  return fallback;
}

/** A list sent as a JSON array, as a JSON string of one (`facet.field=["tags"]`), or as one value. */
export function listParam(params: Record<string, unknown>, name: string, t: Translate): string[] {
  const value = params[name];
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') {
    if (value.trim().startsWith('[')) {
      try {
        const parsed = JSON.parse(value) as unknown;
        if (Array.isArray(parsed)) return parsed.map(String);
      } catch {
        // Falls through to the refusal below.
      }
      throw new CkanActionError('validation', t('ckan.invalid_list', { field: name }), { [name]: [t('ckan.invalid_list', { field: name })] });
    }
    return [value];
  }
  throw new CkanActionError('validation', t('ckan.invalid_list', { field: name }), { [name]: [t('ckan.invalid_list', { field: name })] });
}
