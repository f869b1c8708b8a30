/**
 * A bilingual column of a row in the reader's language: `localized(topic, 'name', locale)` reads
 * `nameEn` in English and `nameVi` in Vietnamese. Vietnamese is the language of record, so an English
 * text nobody entered yet falls back to it rather than showing an empty heading.
 */
type Language = 'vi' | 'en';
type Bilingual<F extends string> = { [K in `${F}Vi` | `${F}En`]: string | null | undefined };

export function localized<F extends string>(row: Bilingual<F>, field: F, locale: Language): string {
  const vietnamese = row[`${field}Vi`] ?? '';
  if (locale !== 'en') return vietnamese;
  const english = row[`${field}En`];
  return english?.trim() ? english : vietnamese;
}
