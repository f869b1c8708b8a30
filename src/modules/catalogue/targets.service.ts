import { asc, desc, lte } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/client.ts';
import { type Actor, authorize } from '../accounts/permissions.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { publishingTargets } from './targets.table.ts';

/** The target of a year: its own row, else the latest year before it; null before the first plan. */
export async function targetForYear(db: Queryable, year: number): Promise<number | null> {
  const [row] = await db.select().from(publishingTargets).where(lte(publishingTargets.year, year)).orderBy(desc(publishingTargets.year)).limit(1);
  return row?.percent ?? null;
}

export async function listTargets(db: Queryable, actor: Actor | null) {
  authorize(actor, 'settings.manage');
  return db.select().from(publishingTargets).orderBy(asc(publishingTargets.year));
}

/** Replaces the table with DOIT's rows (validated by the form: years 2000–2200 once each, 0–100%). */
export async function saveTargets(db: Database, actor: Actor | null, rows: Array<{ year: number; percent: number }>) {
  authorize(actor, 'settings.manage');
  await db.transaction(async (tx) => {
    const before = await tx.select().from(publishingTargets).orderBy(asc(publishingTargets.year));
    await tx.delete(publishingTargets);
    if (rows.length > 0) await tx.insert(publishingTargets).values(rows);
    await recordAudit(tx, actor, { action: 'settings.targets', objectType: 'settings', details: { from: before, to: rows } });
  });
}
