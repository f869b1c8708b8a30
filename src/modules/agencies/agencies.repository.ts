import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { fieldError } from '../../lib/errors.ts';
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

export async function findAgencyById(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<Agency | undefined> {
  const query = db.select().from(agencies).where(eq(agencies.id, id)).limit(1);
  const [agency] = options.forUpdate ? await query.for('update') : await query;
  return agency;
}

export async function listAllAgencies(db: Queryable): Promise<Agency[]> {
  return db.select().from(agencies).orderBy(asc(agencies.kind), asc(agencies.name));
}

/** Maps the unique slug to a sentence next to the field. */
export async function insertAgency(db: Queryable, values: NewAgency): Promise<Agency> {
  try {
    const [agency] = await db.insert(agencies).values(values).returning();
    return agency;
  } catch (error) {
    if (isUniqueViolation(error)) throw fieldError('slug', 'agencies.slug_taken', 409);
    throw error;
  }
}

export async function updateAgency(db: Queryable, id: string, changes: Partial<NewAgency>): Promise<Agency> {
  try {
    const [agency] = await db
      .update(agencies)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(agencies.id, id))
      .returning();
    return agency;
  } catch (error) {
    if (isUniqueViolation(error)) throw fieldError('slug', 'agencies.slug_taken', 409);
    throw error;
  }
}
