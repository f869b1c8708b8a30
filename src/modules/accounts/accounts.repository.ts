import { and, asc, count, eq, gte, isNull, lt, max, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { fieldError } from '../../lib/errors.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { loginFailures, type NewUser, passwordResets, type Role, type User, users } from './accounts.table.ts';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: Queryable, email: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, normaliseEmail(email))).limit(1);
  return user;
}

export async function findUserById(db: Queryable, id: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

/** Maps the unique e-mail constraint to a sentence the form can show next to the field. */
export async function insertUser(db: Queryable, values: NewUser): Promise<User> {
  try {
    const [user] = await db.insert(users).values({ ...values, email: normaliseEmail(values.email) }).returning();
    return user;
  } catch (error) {
    if (isUniqueViolation(error)) throw fieldError('email', 'accounts.email_taken', 409);
    throw error;
  }
}

export async function updateUser(db: Queryable, id: string, changes: Partial<NewUser>): Promise<User> {
  const [user] = await db
    .update(users)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  return user;
}

export interface UserFilter {
  agencyId?: string;
  role?: Role;
}

export async function listUsers(db: Queryable, filter: UserFilter = {}) {
  const conditions: SQL[] = [];
  if (filter.agencyId) conditions.push(eq(users.agencyId, filter.agencyId));
  if (filter.role) conditions.push(eq(users.role, filter.role));
  return db
    .select({ user: users, agency: { id: agencies.id, name: agencies.name, slug: agencies.slug } })
    .from(users)
    .leftJoin(agencies, eq(agencies.id, users.agencyId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(agencies.name), asc(users.role), asc(users.email));
}

/** Enabled accounts of a role in an agency, for the "one officer and one leader" rule. */
export async function countEnabledAccounts(db: Queryable, agencyId: string, role: Role, exceptUserId?: string): Promise<number> {
  const conditions = [eq(users.agencyId, agencyId), eq(users.role, role), isNull(users.disabledAt)];
  if (exceptUserId) conditions.push(sql`${users.id} <> ${exceptUserId}`);
  const [{ total }] = await db.select({ total: count() }).from(users).where(and(...conditions));
  return total;
}

export async function recordLoginFailure(db: Queryable, email: string, ip: string): Promise<void> {
  await db.insert(loginFailures).values({ email: normaliseEmail(email), ip });
}

export async function countLoginFailuresSince(db: Queryable, since: Date, by: { email?: string; ip?: string }): Promise<number> {
  const conditions = [gte(loginFailures.at, since)];
  if (by.email) conditions.push(eq(loginFailures.email, normaliseEmail(by.email)));
  if (by.ip) conditions.push(eq(loginFailures.ip, by.ip));
  const [{ total }] = await db.select({ total: count() }).from(loginFailures).where(and(...conditions));
  return total;
}

/** Failed sign-ins of one account from one address since a time, and when the last one was. */
export async function loginFailuresOfPair(db: Queryable, since: Date, email: string, ip: string): Promise<{ failures: number; lastAt: Date | null }> {
  const [row] = await db
    .select({ failures: count(), lastAt: max(loginFailures.at) })
    .from(loginFailures)
    .where(and(gte(loginFailures.at, since), eq(loginFailures.email, normaliseEmail(email)), eq(loginFailures.ip, ip)));
  return { failures: row.failures, lastAt: row.lastAt ? new Date(row.lastAt) : null };
}

export async function clearLoginFailures(db: Queryable, email: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.email, normaliseEmail(email)));
}

export async function insertPasswordReset(db: Queryable, values: typeof passwordResets.$inferInsert): Promise<void> {
  await db.insert(passwordResets).values(values);
}

export async function findPasswordReset(db: Queryable, tokenHash: string) {
  const [row] = await db.select().from(passwordResets).where(eq(passwordResets.tokenHash, tokenHash)).limit(1);
  return row;
}

/** True when this call used the link; false when it had been used already. */
export async function markPasswordResetUsed(db: Queryable, tokenHash: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(passwordResets)
    .set({ usedAt: at })
    .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt)))
    .returning({ tokenHash: passwordResets.tokenHash });
  return rows.length > 0;
}

/** Failed sign-ins older than the counting window say nothing any more. */
export async function deleteLoginFailuresBefore(db: Queryable, before: Date): Promise<void> {
  await db.delete(loginFailures).where(lt(loginFailures.at, before));
}

/** A new reset makes the older unused links of the same person worthless. */
export async function expireOpenResets(db: Queryable, userId: string, at: Date): Promise<void> {
  await db
    .update(passwordResets)
    .set({ usedAt: at })
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
}

/** Addresses of an agency's enabled accounts with a role, for notifications. */
export async function listAgencyEmails(db: Queryable, agencyId: string, role: Role): Promise<string[]> {
  const rows = await db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.agencyId, agencyId), eq(users.role, role), isNull(users.disabledAt)));
  return rows.map((row) => row.email);
}
