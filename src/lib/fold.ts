/**
 * Vietnamese text without its marks, "đ" as "d", in lower case: "Sở Giáo dục Đà Nẵng" → "so giao duc da nang".
 * What slugs, search text, column names and PII header hints are built from, so that a word typed with
 * or without accents (or in decomposed NFD form) always meets itself.
 *
 * NFD separates base letters from their tone and vowel marks; đ/Đ has no decomposition, so it is mapped
 * by hand. Character by character through a small cache: a table has few distinct letters and many rows,
 * and NFD of every row cost more than the rest of a DataStore load.
 */
const foldedChars = new Map<string, string>([
  ['đ', 'd'],
  ['Đ', 'd'],
  // Ð (U+00D0, the Icelandic eth) stands in for Đ in text converted from old Vietnamese encodings.
  ['Ð', 'd'],
  ['ð', 'd'],
]);

function foldChar(char: string): string {
  let folded = foldedChars.get(char);
  if (folded === undefined) {
    folded = char.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
    if (foldedChars.size < 10_000) foldedChars.set(char, folded);
  }
  return folded;
}

/**
 * One pass over the text, ASCII copied as is and every other character through foldChar: a combining
 * mark folds to nothing by itself, so marks that arrive separately (NFD) vanish as they would after
 * their letter. Twice as fast as a replace() with a callback, which the search page paid on every
 * word of every title it highlights.
 */
export function fold(text: string): string {
  let folded = '';
  let plainFrom = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    // A character outside the BMP is two UTF-16 units, folded together.
    const width = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
    folded += text.slice(plainFrom, i) + foldChar(text.slice(i, i + width));
    i += width - 1;
    plainFrom = i + 1;
  }
  return (plainFrom === 0 ? text : folded + text.slice(plainFrom)).toLowerCase();
}
