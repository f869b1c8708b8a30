import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, lt, ne, or } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { type User, users } from '../accounts/accounts.table.ts';
import { type Session, sessions } from './sessions.table.ts';

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

/**
 * last_seen_at is refreshed once a twentieth of the idle window has passed (at most once a minute):
 * few writes, and an active person is never signed out early. A fixed minute used to sign out an
 * active user when SESSION_IDLE_MINUTES=1 (issue 10, finding 7).
 */
export function touchAfterMilliseconds(policy: SessionPolicy): number {
  return Math.min(60_000, (policy.idleMinutes * 60_000) / 20);
}

/** 160 random bits, base32: the Lucia guide's token. Only its SHA-256 is ever stored. */
export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdOf(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
  db: Queryable,
  userId: string,
  policy: SessionPolicy,
  meta: { ip?: string | null; userAgent?: string | null } = {},
): Promise<{ token: string; session: Session }> {
  const token = generateSessionToken();
  const now = new Date();
  const [session] = await db
    .insert(sessions)
    .values({
      id: sessionIdOf(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + policy.absoluteHours * 3_600_000),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .returning();
  return { token, session };
}

/**
 * The session and its person, or null when the token is unknown, idle too long, past its absolute
 * expiry, or its account is disabled. Expired rows are deleted on the way.
 */
export async function validateSessionToken(
  db: Queryable,
  token: string,
  policy: SessionPolicy,
  now = new Date(),
): Promise<{ session: Session; user: User } | null> {
  const id = sessionIdOf(token);
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
    .limit(1);
  if (!row) return null;
  const idleLimit = row.session.lastSeenAt.getTime() + policy.idleMinutes * 60_000;
  if (now >= row.session.expiresAt || now.getTime() >= idleLimit || row.user.disabledAt) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  if (now.getTime() - row.session.lastSeenAt.getTime() >= touchAfterMilliseconds(policy)) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
    row.session.lastSeenAt = now;
  }
  return row;
}

export async function invalidateSession(db: Queryable, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a person, but the one they are using when they changed their own password. */
export async function invalidateUserSessions(db: Queryable, userId: string, keepSessionId?: string): Promise<void> {
  await db
    .delete(sessions)
    .where(keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId));
}

export async function deleteExpiredSessions(db: Queryable, policy: SessionPolicy, now = new Date()): Promise<void> {
  const idleBefore = new Date(now.getTime() - policy.idleMinutes * 60_000);
  await db.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, idleBefore)));
}
