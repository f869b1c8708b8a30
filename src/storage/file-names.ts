/** What an uploaded file is called when its name gives nothing usable (only dots, spaces, controls). */
export const fallbackFileName = 'tep-du-lieu';

/**
 * The name an uploaded file keeps for its downloads: NFC, the last path segment only, no control or
 * reserved characters, no leading dots (a hidden file, or `..`) and no trailing dots or spaces
 * (Windows drops them, so `data.csv.` and `data.csv` would be one file). Never a storage key: keys
 * are made of ids (see uploads.service.ts), so no name can reach another folder.
 */
export function normaliseFileName(fileName: string): string {
  const lastSegment = fileName.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}:*?"<>|]+/gu, '_')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s.]+/u, '')
    .replace(/[\s.]+$/u, '');
  // Keep the end: the extension says what the file is.
  const kept = [...cleaned].slice(-150).join('');
  return /[\p{L}\p{N}]/u.test(kept) ? kept : fallbackFileName;
}

/** The extension of a normalised name (`csv` for `data.CSV`), or '' when it has none. */
export function extensionOf(fileName: string): string {
  return /\.([a-z0-9]{1,10})$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
}
