/**
 * Numbers as Vietnamese and English tables write them. Vietnamese uses "." to group thousands and
 * "," for decimals (1.234.567,5); English the reverse (1,234,567.5). "1.234" and "1,234" could be
 * either, so a column is read with one style, chosen from a sample of its values.
 */
export type NumberStyle = 'vi' | 'en';

const integer = /^[+-]?\d+$/;
const viGrouped = /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/;
const enGrouped = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const viDecimal = /^[+-]?\d+,\d+$/;
const enDecimal = /^[+-]?\d+\.\d+$/;

/** The style a value proves, 'either' when it fits both, undefined when it is not a number. */
export function numberStyleOf(raw: string): NumberStyle | 'either' | undefined {
  const value = raw.trim();
  if (integer.test(value)) return 'either';
  const vi = viGrouped.test(value) || viDecimal.test(value);
  const en = enGrouped.test(value) || enDecimal.test(value);
  if (vi && en) return 'either';
  return vi ? 'vi' : en ? 'en' : undefined;
}

/**
 * The style of a column from some of its values: the style most values prove; with no proof, a
 * lone "," before three digits ("12,500") is taken for English grouping and a lone "." for
 * Vietnamese grouping, since a decimal with exactly three digits is the rarer case.
 */
export function guessNumberStyle(values: Iterable<string>): NumberStyle {
  let vi = 0;
  let en = 0;
  let commaBeforeThree = 0;
  let dotBeforeThree = 0;
  for (const value of values) {
    const style = numberStyleOf(value);
    if (style === 'vi') vi++;
    else if (style === 'en') en++;
    else if (style === 'either' && value.includes(',')) commaBeforeThree++;
    else if (style === 'either' && value.includes('.')) dotBeforeThree++;
  }
  if (vi !== en) return vi > en ? 'vi' : 'en';
  return commaBeforeThree > dotBeforeThree ? 'en' : 'vi';
}

/** The number a cell holds in the given style, or undefined. */
export function parseNumber(raw: string, style: NumberStyle = 'vi'): number | undefined {
  const value = raw.trim();
  if (integer.test(value)) return Number(value);
  const readVi = () =>
    viGrouped.test(value) || viDecimal.test(value) ? Number(value.replace(/\./g, '').replace(',', '.')) : undefined;
  const readEn = () => (enGrouped.test(value) || enDecimal.test(value) ? Number(value.replace(/,/g, '')) : undefined);
  return style === 'vi' ? (readVi() ?? readEn()) : (readEn() ?? readVi());
}

/** A decimal degree: "21.0285" or "21,0285", no grouping (coordinates are never grouped). */
export function parseCoordinate(raw: string): number | undefined {
  const value = raw.trim();
  return /^[+-]?\d{1,3}([.,]\d+)?$/.test(value) ? Number(value.replace(',', '.')) : undefined;
}

const trueWords = new Set(['có', 'true', 'x', 'đúng', 'yes']);
const falseWords = new Set(['không', 'false', 'sai', 'no']);

/** The words csv-inspect accepts for a boolean column, as true/false; undefined otherwise. */
export function parseBoolean(raw: string): boolean | undefined {
  const value = raw.trim().toLowerCase();
  return trueWords.has(value) ? true : falseWords.has(value) ? false : undefined;
}
