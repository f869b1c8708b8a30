import { and, count, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import type { PageRequest } from '../../lib/pagination.ts';
import { toPage } from '../../lib/pagination.ts';
import { type Actor, authorize } from '../accounts/permissions.ts';
import { listUsers } from '../accounts/accounts.repository.ts';
import { auditLog } from './audit.table.ts';

export interface AuditEvent {
  action: string;
  objectType: string;
  objectId?: string | null;
  objectLabel?: string | null;
  details?: Record<string, unknown>;
}

/** Pass the transaction of the change, so the change and its audit row commit or fail together. */
export async function recordAudit(tx: Queryable, actor: Pick<Actor, 'id' | 'email' | 'ip'> | null, event: AuditEvent): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: actor?.id ?? null,
    actorEmail: actor?.email ?? null,
    action: event.action,
    objectType: event.objectType,
    objectId: event.objectId ?? null,
    objectLabel: event.objectLabel ?? null,
    details: event.details ?? {},
    ip: actor?.ip ?? null,
  });
}

export interface AuditFilter {
  actorId?: string;
  action?: string;
  objectType?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

export async function browseAudit(db: Queryable, actor: Actor | null, filter: AuditFilter, page: PageRequest) {
  authorize(actor, 'audit.read');
  const conditions: SQL[] = [];
  if (filter.actorId) conditions.push(eq(auditLog.actorId, filter.actorId));
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.objectType) conditions.push(eq(auditLog.objectType, filter.objectType));
  if (filter.from) conditions.push(gte(auditLog.at, filter.from));
  if (filter.to) conditions.push(lt(auditLog.at, filter.to));
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [{ total }]] = await Promise.all([
    db.select().from(auditLog).where(where).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(page.pageSize).offset(page.offset),
    db.select({ total: count() }).from(auditLog).where(where),
  ]);
  return toPage(rows, total, page);
}

export async function listAuditActions(db: Queryable): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action);
  return rows.map((row) => row.action);
}

/** The filter form's choices: the actions the log holds and the accounts that may have acted, for DOIT. */
export async function auditFilterChoices(db: Queryable, actor: Actor | null) {
  authorize(actor, 'audit.read');
  const [actions, accounts] = await Promise.all([listAuditActions(db), listUsers(db)]);
  return { actions, accounts: accounts.map(({ user }) => ({ id: user.id, email: user.email })) };
}
