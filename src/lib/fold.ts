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
]);

function foldChar(char: string): string {
  let folded = foldedChars.get(char);
  if (folded === undefined) {
    folded = char.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
    if (foldedChars.size < 10_000) foldedChars.set(char, folded);
  }
  return folded;
}

// A non-ASCII character with the combining marks that follow it (text that arrives already in NFD).
const nonAscii = /[\u{80}-\u{10FFFF}]\p{M}*/gu;

export function fold(text: string): string {
  return text.replace(nonAscii, foldChar).toLowerCase();
}
