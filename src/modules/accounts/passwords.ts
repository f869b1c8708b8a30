import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * argon2id with OWASP's first recommended setting (m = 19 MiB, t = 2, p = 1; ASVS 5.0 Appendix C
 * accepts it as the minimum): about 30 ms here, cheap enough for a login, costly for a guesser.
 */
const argon2Options = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const passwordMinLength = 12;
export const passwordMaxLength = 128;

/** The same password typed on two keyboards may compose "ế" differently: hash one canonical form. */
const canonical = (password: string) => password.normalize('NFC');

export function hashPassword(password: string): Promise<string> {
  return hash(canonical(password), argon2Options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, canonical(password));
  } catch {
    return false;
  }
}

let commonPasswords: Set<string> | undefined;
async function loadCommonPasswords(): Promise<Set<string>> {
  if (!commonPasswords) {
    // ~49,000 passwords seen most often in breaches, shipped with the zxcvbn-ts package.
    const list = (dictionary as Record<string, string[] | (() => Promise<string[]>)>)['passwords-common'];
    commonPasswords = new Set(typeof list === 'function' ? await list() : list);
  }
  return commonPasswords;
}

/** A translation key saying what is wrong with a new password, or null when it is acceptable. */
export async function passwordProblem(password: string, context: { email?: string } = {}): Promise<string | null> {
  // Characters as a person counts them (code points), not UTF-16 units: six emoji are six characters.
  const length = [...canonical(password)].length;
  if (length < passwordMinLength) return 'accounts.password_too_short';
  if (length > passwordMaxLength) return 'accounts.password_too_long';
  const lower = password.toLowerCase();
  if ((await loadCommonPasswords()).has(lower)) return 'accounts.password_common';
  if (/^(.)\1+$/.test(password)) return 'accounts.password_common';
  const localPart = context.email?.split('@')[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && lower.includes(localPart)) return 'accounts.password_contains_email';
  return null;
}
