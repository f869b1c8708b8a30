import { inArray, or } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { resources } from '../resources/resources.table.ts';

/** Which of these storage keys a resource row (of any revision) still refers to. */
export async function referencedStorageKeys(db: Queryable, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .select({ storageKey: resources.storageKey, originalStorageKey: resources.originalStorageKey })
    .from(resources)
    .where(or(inArray(resources.storageKey, keys), inArray(resources.originalStorageKey, keys)));
  return new Set(rows.flatMap((row) => [row.storageKey, row.originalStorageKey]).filter((key): key is string => Boolean(key)));
}
