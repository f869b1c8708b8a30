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

type Catalogue = Map<string, string>;

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
    else if (value && typeof value === 'object') flatten(value as Record<string, unknown>, fullKey, into);
  }
}

const catalogues = new Map<Locale, Catalogue>(locales.map((locale) => [locale, loadCatalogue(locale)]));

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** Looks a key up in the locale, then in Vietnamese; a missing key shows itself so it gets noticed. */
export function translator(locale: Locale): Translate {
  const primary = catalogues.get(locale)!;
  const fallback = catalogues.get('vi')!;
  return (message, extra) => {
    const key = typeof message === 'string' ? message : message.key;
    const params = typeof message === 'string' ? extra : { ...message.params, ...extra };
    const template = primary.get(key) ?? fallback.get(key) ?? key;
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

/**
 * The one date style of the portal: Vietnamese dd/mm/yyyy with a 24-hour time ("05/09/2025 14:30"),
 * English "5 Sep 2025 14:30"; always the province's time zone. A date without a time
 * ("2025-09-05", a date column) is shown as that day, never shifted by a time zone.
 */
const timeZone = 'Asia/Ho_Chi_Minh';
const viDay = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone });
// en-US parts put in British order: "5 Sep 2025" (en-GB itself now writes "Sept").
const enDay = new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric', timeZone });
const dayParts = new Map<Locale, { format(date: Date): string }>([
  ['vi', viDay],
  [
    'en',
    {
      format: (date: Date) => {
        const part = (type: string) => enDay.formatToParts(date).find((item) => item.type === type)?.value ?? '';
        return `${part('day')} ${part('month')} ${part('year')}`;
      },
    },
  ],
]);
const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;

function toDate(value: Date | string | null | undefined): Date | null {
  if (!value) return null;
  const only = typeof value === 'string' ? dateOnly.exec(value) : null;
  // Noon UTC of that day is the same day in Vietnam (UTC+7).
  const date = only ? new Date(Date.UTC(Number(only[1]), Number(only[2]) - 1, Number(only[3]), 12)) : typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDate(locale: Locale, value: Date | string | null | undefined): string {
  const date = toDate(value);
  // en-GB writes "05/09/2025" for the Vietnamese style (vi-VN's Intl output varies between ICU versions).
  return date ? dayParts.get(locale)!.format(date) : '';
}

export function formatDateTime(locale: Locale, value: Date | string | null | undefined): string {
  const date = toDate(value);
  return date ? `${dayParts.get(locale)!.format(date)} ${clock.format(date)}` : '';
}

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
  const formatted = new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
  return `${formatted} ${units[unit]}`;
}
