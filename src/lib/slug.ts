import { fold } from './fold.ts';

/** Folds Vietnamese text to an ASCII kebab-case slug: "Sở Giáo dục và Đào tạo" → "so-giao-duc-va-dao-tao". */
export function slugify(text: string, maxLength = 80): string {
  const folded = fold(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // Cut at a word boundary when possible so slugs do not end in half a word.
  if (folded.length <= maxLength) return folded;
  const cut = folded.slice(0, maxLength);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > maxLength / 2 ? cut.slice(0, lastDash) : cut).replace(/-+$/, '');
}
