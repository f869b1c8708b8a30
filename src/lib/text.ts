/**
 * The start of a text on one line, cut at a word, for lists and search results. Only a prefix long
 * enough for the excerpt is flattened: a list page cuts twenty descriptions of any length.
 */
export function excerpt(text: string, length: number): string {
  const prefix = text.length > 2 * length + 64 ? text.slice(0, 2 * length + 64) : text;
  const flat = prefix.replace(/\s+/g, ' ').trim();
  // A prefix that flattened to no more than the excerpt (mostly spaces) says nothing: take the whole text.
  if (prefix !== text && flat.length <= length) return excerpt(text.replace(/\s+/g, ' '), length);
  return flat.length <= length ? flat : `${flat.slice(0, length).replace(/\s+\S*$/, '')}…`;
}
