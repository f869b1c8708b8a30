import { create } from 'content-disposition';
import { fold } from './fold.ts';

/**
 * `attachment` with the real UTF-8 name (RFC 6266/8187, written by the content-disposition package,
 * which quotes and percent-encodes apostrophes, quotes and Vietnamese letters correctly), plus an
 * ASCII fallback for old clients and `curl -J`: "Báo cáo.csv" → "bao cao.csv" rather than the
 * package's "B?o c?o.csv" (a "?" is not allowed in a Windows file name).
 */
export function attachmentDisposition(fileName: string): string {
  if (/^[\x20-\x7e]*$/.test(fileName)) return create(fileName, { fallback: false });
  return create(fileName, { fallback: fold(fileName).replace(/[^\x20-\x7e]/g, '_') });
}
