import type { Database } from '../../db/client.ts';
import type { FileStorage } from '../../storage/file-storage.ts';
import { referencedStorageKeys } from './housekeeping.repository.ts';

interface Logger {
  info(details: object, message: string): void;
}

/**
 * An upload stores its file, then records it in one transaction; a crash (kill -9) between the two
 * leaves a file nothing refers to, forever (issue 10, finding 8). This pass compares the uploads
 * area with the database and deletes what no resource row names, once it is older than the grace
 * period: an upload still being checked or committed is younger than that.
 */
export const orphanGraceHours = 6;
const batchSize = 500;

export async function sweepOrphanFiles(
  db: Database,
  storage: FileStorage,
  log: Logger,
  options: { now?: Date; graceHours?: number } = {},
): Promise<string[]> {
  const cutoff = (options.now ?? new Date()).getTime() - (options.graceHours ?? orphanGraceHours) * 3_600_000;
  const removed: string[] = [];
  let batch: string[] = [];
  const flush = async () => {
    const used = await referencedStorageKeys(db, batch);
    for (const key of batch.filter((candidate) => !used.has(candidate))) {
      await storage.delete(key);
      log.info({ key }, 'orphan file removed: no resource refers to it');
      removed.push(key);
    }
    batch = [];
  };
  // Only the uploads area: its keys are all recorded in the resources table.
  for await (const file of storage.list('resources/')) {
    if (file.modifiedAt.getTime() > cutoff) continue;
    batch.push(file.key);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return removed;
}
