import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Database, Queryable } from '../../db/client.ts';
import { AppError, fieldError, notFound } from '../../lib/errors.ts';
import { findAgencyById } from '../agencies/agencies.repository.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { createSession, invalidateSession, invalidateUserSessions, type SessionPolicy, sessionIdOf } from '../sessions/sessions.service.ts';
import {
  clearLoginFailures,
  countEnabledAccounts,
  countLoginFailuresSince,
  expireOpenResets,
  findPasswordReset,
  findUserByEmail,
  findUserById,
  insertPasswordReset,
  insertUser,
  listUsers,
  loginFailuresOfPair,
  markPasswordResetUsed,
  recordLoginFailure,
  updateUser,
} from './accounts.repository.ts';
import type { ChangePasswordInput, CreateAccountInput } from './accounts.schemas.ts';
import type { Role, User } from './accounts.table.ts';
import type { Mailer } from '../notifications/mailer.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { notifyOwnerOfFailedSignIns } from './sign-in-notices.ts';
import { type Actor, authorize } from './permissions.ts';
import { listActiveAgencies } from '../agencies/agencies.repository.ts';

/**
 * 782 Art. 5.2 and ASVS 6.3: guessing is slowed per account *and address*, never by locking the
 * account for everyone: ten failures from anywhere used to lock the owner out for 15 minutes, a
 * lockout anyone could trigger (issue 10, finding 11). Now each (account, address) pair waits longer
 * after each failure (1 s after the third, doubling, at most 15 minutes); one address guessing at
 * many accounts is stopped after `perAddress`; and the owner is told by mail when the failures on
 * the account reach `notifyOwnerAfter`. Counts live in PostgreSQL, so every node agrees.
 */
export const loginLimits = { windowMinutes: 15, freeFailures: 2, maxDelaySeconds: 15 * 60, perAddress: 30, notifyOwnerAfter: 5 };

/** Seconds an (account, address) pair must wait after its last failure, given how many it had. */
export function signInDelaySeconds(failures: number): number {
  if (failures <= loginLimits.freeFailures) return 0;
  return Math.min(loginLimits.maxDelaySeconds, 2 ** (failures - loginLimits.freeFailures - 1));
}

const resetLinkHours = 72;

export function actorOf(user: User, ip: string | null): Actor {
  return { id: user.id, email: user.email, role: user.role, agencyId: user.agencyId, ip };
}

async function requireStrongPassword(field: string, password: string, email: string) {
  const problem = await passwordProblem(password, { email });
  if (problem) throw fieldError(field, problem);
}

// A hash to verify against when the e-mail is unknown, so that both failures take the same time.
let decoyHash: Promise<string> | undefined;

/**
 * Signs a person in and opens a new session (a new token at every sign-in: no session fixation).
 * Unknown e-mail, wrong password and disabled account all get the same sentence.
 */
export async function signIn(
  db: Database,
  input: { email: string; password: string; ip: string; userAgent?: string; previousSessionToken?: string },
  policy: SessionPolicy,
  deps: { mailer?: Mailer } = {},
): Promise<{ token: string; user: User }> {
  const now = Date.now();
  const since = new Date(now - loginLimits.windowMinutes * 60_000);
  const [pair, byAddress] = await Promise.all([
    loginFailuresOfPair(db, since, input.email, input.ip),
    countLoginFailuresSince(db, since, { ip: input.ip }),
  ]);
  if (byAddress >= loginLimits.perAddress) {
    throw new AppError(429, 'rate_limited', 'accounts.too_many_attempts', { minutes: loginLimits.windowMinutes });
  }
  const waitUntil = (pair.lastAt?.getTime() ?? 0) + signInDelaySeconds(pair.failures) * 1000;
  if (now < waitUntil) {
    // Not a failure of its own: the password is not even tried.
    throw new AppError(429, 'rate_limited', 'security.sign_in_wait', { seconds: Math.ceil((waitUntil - now) / 1000) });
  }
  const user = await findUserByEmail(db, input.email);
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
  if (!user || !valid || user.disabledAt) {
    await recordLoginFailure(db, input.email, input.ip);
    if (user && !user.disabledAt && deps.mailer) {
      const onAccount = await countLoginFailuresSince(db, since, { email: user.email });
      if (onAccount === loginLimits.notifyOwnerAfter) await notifyOwnerOfFailedSignIns(deps.mailer, user, onAccount, loginLimits.windowMinutes);
    }
    throw new AppError(401, 'invalid_credentials', 'accounts.invalid_credentials');
  }
  return db.transaction(async (tx) => {
    await clearLoginFailures(tx, user.email);
    // Whatever session the browser held before is ended: one sign-in, one live token.
    if (input.previousSessionToken) await invalidateSession(tx, sessionIdOf(input.previousSessionToken));
    await updateUser(tx, user.id, { lastLoginAt: new Date() });
    const { token } = await createSession(tx, user.id, policy, { ip: input.ip, userAgent: input.userAgent });
    await recordAudit(tx, actorOf(user, input.ip), { action: 'account.sign_in', objectType: 'account', objectId: user.id, objectLabel: user.email });
    return { token, user };
  });
}

export async function signOut(db: Database, actor: Actor, sessionToken: string): Promise<void> {
  await db.transaction(async (tx) => {
    await invalidateSession(tx, sessionIdOf(sessionToken));
    await recordAudit(tx, actor, { action: 'account.sign_out', objectType: 'account', objectId: actor.id, objectLabel: actor.email });
  });
}

/** 782 Art. 5.2: by default one enabled officer and one enabled leader per agency; DOIT may allow more. */
async function checkOnePerAgency(tx: Queryable, enforce: boolean, agencyId: string, role: Role, exceptUserId?: string) {
  if (!enforce || role === 'admin') return;
  if ((await countEnabledAccounts(tx, agencyId, role, exceptUserId)) > 0) {
    throw fieldError('role', role === 'officer' ? 'accounts.agency_has_officer' : 'accounts.agency_has_leader', 409);
  }
}

export async function createAccount(
  db: Database,
  actor: Actor | null,
  input: CreateAccountInput,
  options: { onePerAgency: boolean },
): Promise<User> {
  authorize(actor, 'account.manage');
  await requireStrongPassword('password', input.password, input.email);
  const agencyId = input.role === 'admin' ? null : (input.agencyId ?? null);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    if (agencyId) {
      // Lock the agency: two DOIT staff creating its officer at the same moment must not both succeed.
      const agency = await findAgencyById(tx, agencyId, { forUpdate: true });
      if (!agency?.active) throw fieldError('agencyId', 'accounts.agency_required');
      await checkOnePerAgency(tx, options.onePerAgency, agencyId, input.role);
    }
    const user = await insertUser(tx, {
      email: input.email,
      displayName: input.displayName,
      role: input.role,
      agencyId,
      passwordHash,
      mustChangePassword: true,
    });
    await recordAudit(tx, actor, {
      action: 'account.create',
      objectType: 'account',
      objectId: user.id,
      objectLabel: user.email,
      details: { role: user.role, agencyId },
    });
    return user;
  });
}

/** Disabling ends every session of the account at once; re-enabling respects the 1+1 rule. */
export async function setAccountDisabled(
  db: Database,
  actor: Actor | null,
  userId: string,
  disabled: boolean,
  options: { onePerAgency: boolean },
): Promise<User> {
  authorize(actor, 'account.manage');
  if (disabled && actor.id === userId) throw new AppError(409, 'conflict', 'accounts.cannot_disable_self');
  return db.transaction(async (tx) => {
    const user = await findUserById(tx, userId);
    if (!user) throw notFound('accounts.not_found');
    if (!disabled && user.agencyId) await findAgencyById(tx, user.agencyId, { forUpdate: true });
    if (!disabled && user.agencyId) await checkOnePerAgency(tx, options.onePerAgency, user.agencyId, user.role, user.id);
    const updated = await updateUser(tx, userId, { disabledAt: disabled ? new Date() : null });
    if (disabled) await invalidateUserSessions(tx, userId);
    await recordAudit(tx, actor, {
      action: disabled ? 'account.disable' : 'account.enable',
      objectType: 'account',
      objectId: userId,
      objectLabel: user.email,
    });
    return updated;
  });
}

/**
 * DOIT resets a password: the old one stops working, every session ends, and a one-time link
 * (valid 72 hours) lets the person choose a new one. Only the link's hash is stored.
 */
export async function resetPassword(db: Database, actor: Actor | null, userId: string): Promise<{ token: string; user: User; expiresAt: Date }> {
  authorize(actor, 'account.manage');
  const token = randomBytes(32).toString('base64url');
  const unusable = await hashPassword(randomBytes(32).toString('hex'));
  const now = new Date();
  const expiresAt = new Date(now.getTime() + resetLinkHours * 3_600_000);
  return db.transaction(async (tx) => {
    const user = await findUserById(tx, userId);
    if (!user) throw notFound('accounts.not_found');
    await expireOpenResets(tx, userId, now);
    await insertPasswordReset(tx, { tokenHash: sessionIdOf(token), userId, createdBy: actor.id, expiresAt });
    await updateUser(tx, userId, { passwordHash: unusable, mustChangePassword: true });
    await invalidateUserSessions(tx, userId);
    await recordAudit(tx, actor, { action: 'account.reset_password', objectType: 'account', objectId: userId, objectLabel: user.email });
    return { token, user, expiresAt };
  });
}

/** The person behind a reset link, if the link is still good. */
export async function findUsableReset(db: Queryable, token: string): Promise<User | null> {
  const reset = await findPasswordReset(db, sessionIdOf(token));
  if (!reset || reset.usedAt || reset.expiresAt <= new Date()) return null;
  const user = await findUserById(db, reset.userId);
  return user && !user.disabledAt ? user : null;
}

export async function completePasswordReset(db: Database, token: string, newPassword: string, ip: string | null): Promise<User> {
  const user = await findUsableReset(db, token);
  if (!user) throw new AppError(410, 'link_expired', 'accounts.reset_link_invalid');
  await requireStrongPassword('newPassword', newPassword, user.email);
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (tx) => {
    const now = new Date();
    // Two submissions of the same link: only the first marks it used.
    if (!(await markPasswordResetUsed(tx, sessionIdOf(token), now))) throw new AppError(410, 'link_expired', 'accounts.reset_link_invalid');
    const updated = await updateUser(tx, user.id, { passwordHash, mustChangePassword: false, passwordChangedAt: now });
    await invalidateUserSessions(tx, user.id);
    await recordAudit(tx, actorOf(user, ip), { action: 'account.complete_reset', objectType: 'account', objectId: user.id, objectLabel: user.email });
    return updated;
  });
}

/** Changing one's own password ends one's other sessions (a thief's, perhaps) and keeps this one. */
export async function changeOwnPassword(db: Database, actor: Actor, sessionToken: string, input: ChangePasswordInput): Promise<void> {
  const user = await findUserById(db, actor.id);
  if (!user) throw notFound('accounts.not_found');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw fieldError('currentPassword', 'accounts.current_password_wrong');
  if (input.newPassword === input.currentPassword) throw fieldError('newPassword', 'accounts.password_unchanged');
  await requireStrongPassword('newPassword', input.newPassword, user.email);
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await updateUser(tx, user.id, { passwordHash, mustChangePassword: false, passwordChangedAt: new Date() });
    await invalidateUserSessions(tx, user.id, sessionIdOf(sessionToken));
    await recordAudit(tx, actor, { action: 'account.change_password', objectType: 'account', objectId: user.id, objectLabel: user.email });
  });
}

/** What the new-account form offers: the active agencies. */
export async function accountFormChoices(db: Queryable) {
  return { agencies: await listActiveAgencies(db) };
}

export async function browseAccounts(db: Queryable, actor: Actor | null, filter: { agencyId?: string; role?: Role } = {}) {
  authorize(actor, 'account.manage');
  return listUsers(db, filter);
}

// ---- Operator commands (CLI): the person at the server's shell is trusted as DOIT's operator.

/** The first DOIT account of a new deployment. The password still has to be strong. */
export async function createAdminFromCli(db: Database, input: { email: string; password: string; displayName?: string }): Promise<User> {
  if (!z.email().safeParse(input.email.trim()).success) throw fieldError('email', 'validation.email');
  await requireStrongPassword('password', input.password, input.email);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const user = await insertUser(tx, {
      email: input.email,
      displayName: input.displayName ?? 'Quản trị Sở TT&TT',
      role: 'admin',
      agencyId: null,
      passwordHash,
      mustChangePassword: false,
    });
    await recordAudit(tx, null, { action: 'account.create', objectType: 'account', objectId: user.id, objectLabel: user.email, details: { role: 'admin', via: 'cli' } });
    return user;
  });
}

export async function disableAccountFromCli(db: Database, email: string): Promise<User> {
  return db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (!user) throw notFound('accounts.not_found');
    const updated = await updateUser(tx, user.id, { disabledAt: new Date() });
    await invalidateUserSessions(tx, user.id);
    await recordAudit(tx, null, { action: 'account.disable', objectType: 'account', objectId: user.id, objectLabel: user.email, details: { via: 'cli' } });
    return updated;
  });
}
