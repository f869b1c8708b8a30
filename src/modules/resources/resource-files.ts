import type { Queryable } from '../../db/client.ts';
import type { FileStorage } from '../../storage/file-storage.ts';
import { isStorageKeyUsed } from './resources.repository.ts';

/**
 * After a commit that dropped resource rows: delete the stored files that no revision refers to any
 * more. Revisions share files by key, so a file still used by a public revision stays.
 */
export async function deleteUnusedFiles(db: Queryable, storage: FileStorage, keys: Array<string | null>): Promise<void> {
  for (const key of new Set(keys)) {
    if (key && !(await isStorageKeyUsed(db, key))) await storage.delete(key);
  }
}
