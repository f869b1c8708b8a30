import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Anti-abuse without an account (issue 6, point 2). The form carries the time it was shown, signed
 * with a key of this process, so a robot cannot claim it waited. The key is random per process: after
 * a restart an open form reads as "too fast" and the visitor simply sends it again from the page
 * that comes back (with a fresh stamp and their text kept).
 */
const key = randomBytes(32);

/** A person needs at least this long to read the form and type a message. */
export const minimumFillSeconds = 3;
/** A form left open longer than this is refreshed rather than trusted. */
export const maximumFormAgeHours = 24;

function sign(issuedAt: number): string {
  return createHmac('sha256', key).update(`feedback-form:${issuedAt}`).digest('base64url');
}

/** The hidden `stamp` value of a form shown now (tests pass an earlier time). */
export function issueFormStamp(now = Date.now()): string {
  return `${now}.${sign(now)}`;
}

export type StampCheck = 'ok' | 'too_fast' | 'expired';

/** A missing, damaged or forged stamp counts as too fast: the sender did not use our form as shown. */
export function checkFormStamp(stamp: unknown, now = Date.now()): StampCheck {
  if (typeof stamp !== 'string') return 'too_fast';
  const match = /^(\d{13})\.([\w-]{43})$/.exec(stamp);
  if (!match) return 'too_fast';
  const issuedAt = Number(match[1]);
  const expected = Buffer.from(sign(issuedAt));
  const given = Buffer.from(match[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'too_fast';
  const ageMs = now - issuedAt;
  if (ageMs < minimumFillSeconds * 1000) return 'too_fast';
  if (ageMs > maximumFormAgeHours * 3_600_000) return 'expired';
  return 'ok';
}

/** The honeypot: a field people never see; anything in it came from a robot filling every box. */
export const honeypotField = 'website';

export function filledHoneypot(body: unknown): boolean {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[honeypotField] : undefined;
  return typeof value === 'string' && value.trim() !== '';
}
