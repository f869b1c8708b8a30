/** "Giáo dục & Đào tạo" → "giao-duc-dao-tao": ASCII slugs for URLs, folding Vietnamese diacritics and đ. */
export function slugify(text: string, maxLength = 80): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
}
