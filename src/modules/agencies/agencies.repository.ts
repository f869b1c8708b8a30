import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { type Agency, agencies, type NewAgency } from './agencies.table.ts';

export async function listActiveAgencies(db: Queryable): Promise<Agency[]> {
  return db.select().from(agencies).where(eq(agencies.active, true)).orderBy(asc(agencies.kind), asc(agencies.name));
}

export async function findAgencyBySlug(db: Queryable, slug: string): Promise<Agency | undefined> {
  const [agency] = await db.select().from(agencies).where(eq(agencies.slug, slug)).limit(1);
  return agency;
}

export async function insertAgencies(db: Queryable, rows: NewAgency[]): Promise<Agency[]> {
  if (rows.length === 0) return [];
  return db.insert(agencies).values(rows).returning();
}
