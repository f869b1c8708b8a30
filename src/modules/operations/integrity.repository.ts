import { and, eq, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { type Role, users } from '../accounts/accounts.table.ts';
import { resources } from '../resources/resources.table.ts';

/** Every resource row that points at a stored file (served copy, original upload or both). */
export function listStoredFileRows(db: Queryable) {
  return db
    .select({
      id: resources.id,
      storageKey: resources.storageKey,
      sha256: resources.sha256,
      originalStorageKey: resources.originalStorageKey,
      originalSha256: resources.originalSha256,
    })
    .from(resources)
    .where(or(isNotNull(resources.storageKey), isNotNull(resources.originalStorageKey)));
}

/** Rows stored before hashes were kept get the hash of the file as found (first check). */
export async function recordMissingHash(db: Queryable, key: string, sha256: string): Promise<void> {
  await db.update(resources).set({ sha256 }).where(and(eq(resources.storageKey, key), isNull(resources.sha256)));
  await db.update(resources).set({ originalSha256: sha256 }).where(and(eq(resources.originalStorageKey, key), isNull(resources.originalSha256)));
}

/** Addresses of the active accounts of these roles (those told about integrity problems). */
export async function listActiveEmailsOfRoles(db: Queryable, roles: Role[]): Promise<string[]> {
  if (roles.length === 0) return [];
  const rows = await db.select({ email: users.email }).from(users).where(and(inArray(users.role, roles), isNull(users.disabledAt)));
  return rows.map((row) => row.email);
}
