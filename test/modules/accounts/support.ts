// Helpers shared by the accounts, audit and back-office tests. Not a test file itself.
import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { asc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../../src/db/client.ts';
import { users } from '../../../src/modules/accounts/accounts.table.ts';
import { auditLog } from '../../../src/modules/audit/audit.table.ts';
import { siteSettingDefaults } from '../../../src/modules/settings/settings.defaults.ts';
import { createSession } from '../../../src/modules/sessions/sessions.service.ts';
import { sessions } from '../../../src/modules/sessions/sessions.table.ts';
import { Agent } from '../../helpers/agent.ts';
import type { TestApp } from '../../helpers/app.ts';
import { buildAgency, buildUser } from '../../helpers/factories.ts';

/** A password that passes every rule and contains no test e-mail's name. */
export const strongPassword = 'Sông-Hương-núi-Ngự-2025';
export const otherStrongPassword = 'Đèo-Cù-Mông-lộng-gió-2026';

/**
 * An agent already signed in as `user`, without going through /login: the session is opened
 * directly (no argon2 verification), so tests that are not about sign-in stay fast.
 */
export async function agentFor(testApp: TestApp, user: { id: string }, ip = '127.0.0.1'): Promise<Agent & { sessionToken: string }> {
  const agent = new Agent(testApp.app, ip) as Agent & { sessionToken: string };
  const { token } = await createSession(testApp.db, user.id, testApp.app.sessionPolicy, { ip });
  agent.cookies.set(testApp.app.sessionCookieName, token);
  agent.sessionToken = token;
  // Agent.post fetches its CSRF token from /login, which redirects a signed-in person: take it from
  // a back-office page instead (every one has the sign-out form).
  await agent.get('/account/password');
  if (!agent.csrfToken) throw new Error('no CSRF token on /account/password');
  return agent;
}

/** Agencies A and B, each with an officer and a leader, and one DOIT account. */
export async function buildWorld(testApp: TestApp) {
  const { db } = testApp;
  const agencyA = await buildAgency(db, { name: 'Sở Tài nguyên và Môi trường', slug: 'so-tai-nguyen-va-moi-truong' });
  const agencyB = await buildAgency(db, { name: 'Sở Y tế', slug: 'so-y-te' });
  const officerA = await buildUser(db, { role: 'officer', agency: agencyA, email: 'can-bo-a@example.gov.vn' });
  const leaderA = await buildUser(db, { role: 'leader', agency: agencyA, email: 'lanh-dao-a@example.gov.vn' });
  const officerB = await buildUser(db, { role: 'officer', agency: agencyB, email: 'can-bo-b@example.gov.vn' });
  const leaderB = await buildUser(db, { role: 'leader', agency: agencyB, email: 'lanh-dao-b@example.gov.vn' });
  const admin = await buildUser(db, { role: 'admin', email: 'quan-tri@example.gov.vn' });
  return { agencyA, agencyB, officerA, leaderA, officerB, leaderB, admin };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function auditRows(db: Queryable) {
  return db.select().from(auditLog).orderBy(asc(auditLog.id));
}

export async function sessionRowsOf(db: Queryable, userId: string) {
  return db.select().from(sessions).where(eq(sessions.userId, userId));
}

export async function userById(db: Queryable, id: string) {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

export async function countRows(db: Queryable, table: 'users' | 'agencies' | 'sessions' | 'audit_log' | 'login_failures' | 'settings') {
  const result = (await db.execute(sql.raw(`select count(*)::int as total from ${table}`))) as unknown as { rows: Array<{ total: number }> };
  return Number(result.rows[0].total);
}

/** Runs raw SQL on either driver and returns its rows. */
export async function query<T = Record<string, unknown>>(db: Queryable, statement: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown as { rows: T[] };
  return result.rows;
}

/** Every setting as the settings form posts it, with overrides (a boolean false is an unticked box: absent). */
export function settingsForm(overrides: Record<string, string | boolean | number> = {}): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...siteSettingDefaults, ...overrides })) {
    if (typeof value === 'boolean') {
      if (value) form[key] = 'on';
    } else form[key] = String(value);
  }
  return form;
}

/** The sentence shown next to a form field (the `field__error` paragraph of partials/field.eta). */
export function fieldError(body: string, field: string): string | undefined {
  const match = new RegExp(`<p class="field__error" id="field-${field}-error">([^<]*)</p>`).exec(body);
  return match?.[1];
}

/** The value attribute of an <input name="…">, HTML entities left as they are. */
export function inputValue(body: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(body)?.[0];
  if (!tag) return undefined;
  return /value="([^"]*)"/.exec(tag)?.[1];
}

export function setCookie(response: LightMyRequestResponse, name: string) {
  return response.cookies.find((cookie) => cookie.name === name);
}

export function rawSetCookie(response: LightMyRequestResponse, name: string): string | undefined {
  const header = response.headers['set-cookie'];
  const all = Array.isArray(header) ? header : header ? [header] : [];
  return all.find((line) => line.startsWith(`${name}=`));
}

/** Turns an HTML-escaped fragment back into text for comparisons. */
export function unescapeHtml(text: string): string {
  return text
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
