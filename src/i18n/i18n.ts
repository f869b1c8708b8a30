import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const locales = ['vi', 'en'] as const;
export type Locale = (typeof locales)[number];
/** A message with its values, as services produce it (e.g. a field error with the size limit). */
export interface Message {
  key: string;
  params?: Record<string, string | number>;
}
export type Translate = (key: string | Message, params?: Record<string, string | number>) => string;

const localesDir = fileURLToPath(new URL('../../locales', import.meta.url));

/**
 * A message that depends on a number, by Intl.PluralRules category: `{ "one": "{count} dataset",
 * "other": "{count} datasets" }`. Vietnamese has only "other", so its catalogue keeps a plain string.
 */
type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
type Catalogue = Map<string, string | PluralForms>;

const pluralCategories = new Set<string>(['zero', 'one', 'two', 'few', 'many', 'other']);
function isPluralForms(value: Record<string, unknown>): value is PluralForms {
  const keys = Object.keys(value);
  return typeof value.other === 'string' && keys.every((key) => pluralCategories.has(key) && typeof value[key] === 'string');
}

/**
 * One catalogue per locale, kept as one JSON file per domain (locales/vi/datasets.json …) so that
 * work on two domains never edits the same file; keys are prefixed by the file name ("datasets.title").
 */
function loadCatalogue(locale: Locale): Catalogue {
  const catalogue: Catalogue = new Map();
  const dir = path.join(localesDir, locale);
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    const prefix = path.basename(file, '.json');
    const entries = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
    flatten(entries, prefix, catalogue);
  }
  return catalogue;
}

function flatten(node: Record<string, unknown>, prefix: string, into: Catalogue) {
  for (const [key, value] of Object.entries(node)) {
    const fullKey = `${prefix}.${key}`;
    if (typeof value === 'string') into.set(fullKey, value);
    else if (value && typeof value === 'object' && isPluralForms(value as Record<string, unknown>)) into.set(fullKey, value as PluralForms);
    else if (value && typeof value === 'object') flatten(value as Record<string, unknown>, fullKey, into);
  }
}

const catalogues = new Map<Locale, Catalogue>(locales.map((locale) => [locale, loadCatalogue(locale)]));
const pluralRules = new Map<Locale, Intl.PluralRules>(locales.map((locale) => [locale, new Intl.PluralRules(locale)]));

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/**
 * The number a plural message is chosen by: its `count` value, as a number or as already formatted
 * ("1.234" in Vietnamese, "1,234" in English: counts are whole numbers, so the digits are enough).
 */
function countOf(params: Record<string, string | number> | undefined): number | null {
  const value = params?.count;
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  const digits = value.replace(/[^\d]/g, '');
  return digits === '' ? null : Number(digits);
}

/**
 * Looks a key up in the locale, then in Vietnamese; a missing key shows itself so it gets noticed.
 * A plural message takes the form Intl.PluralRules gives its `count` ("1 dataset", "2 datasets").
 */
export function translator(locale: Locale): Translate {
  const primary = catalogues.get(locale)!;
  const fallback = catalogues.get('vi')!;
  const plurals = pluralRules.get(locale)!;
  return (message, extra) => {
    const key = typeof message === 'string' ? message : message.key;
    const params = typeof message === 'string' ? extra : { ...message.params, ...extra };
    const found = primary.get(key) ?? fallback.get(key) ?? key;
    let template: string;
    if (typeof found === 'string') template = found;
    else {
      const count = countOf(params);
      template = (count === null ? undefined : found[plurals.select(count)]) ?? found.other;
    }
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (match, name: string) =>
      params[name] === undefined ? match : String(params[name]),
    );
  };
}

/** Keys of a locale, for the test that both catalogues have the same keys. */
export function catalogueKeys(locale: Locale): string[] {
  return [...catalogues.get(locale)!.keys()].sort();
}

const numberFormats = new Map<Locale, Intl.NumberFormat>(locales.map((l) => [l, new Intl.NumberFormat(l)]));
export function formatNumber(locale: Locale, value: number): string {
  return numberFormats.get(locale)!.format(value);
}

// The one date style of the portal lives with the rest of the calendar (src/lib/calendar.ts).
export { formatDate, formatDateTime } from '../lib/calendar.ts';

// Built once per locale, as numberFormats: building an Intl.NumberFormat costs far more than using one,
// and a dataset page formats every file's size. Bytes are whole; larger units keep one decimal.
const byteFormats = new Map<Locale, [whole: Intl.NumberFormat, oneDecimal: Intl.NumberFormat]>(
  locales.map((l) => [l, [new Intl.NumberFormat(l, { maximumFractionDigits: 0 }), new Intl.NumberFormat(l, { maximumFractionDigits: 1 })]]),
);

/** 1536 → "1,5 KB" (vi) or "1.5 KB" (en). */
export function formatBytes(locale: Locale, bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const formatted = byteFormats.get(locale)![unit === 0 ? 0 : 1].format(value);
  return `${formatted} ${units[unit]}`;
}
