import type { Database } from '../../db/client.ts';
import { deleteLoginFailuresBefore } from '../accounts/accounts.repository.ts';
import { loginLimits } from '../accounts/accounts.service.ts';
import type { FileStorage } from '../../storage/file-storage.ts';
import { maximumFormAgeHours } from '../feedback/feedback.antispam.ts';
import { deleteExpiredSessions, type SessionPolicy } from '../sessions/sessions.service.ts';
import { deleteStaleSharedState } from '../cross-node-state/cross-node-state.repository.ts';
import { sweepOrphanFiles } from './orphan-files.ts';

interface Logger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

/**
 * Rows that only grow: expired sessions, failed sign-ins older than the counting window, rate-limit
 * counters whose window is over, and used form stamps that would have expired anyway.
 */
export async function sweepExpiredRows(db: Database, policy: SessionPolicy, now = new Date()): Promise<void> {
  await deleteExpiredSessions(db, policy, now);
  await deleteLoginFailuresBefore(db, new Date(now.getTime() - loginLimits.windowMinutes * 60_000));
  await deleteStaleSharedState(db, now, new Date(now.getTime() - maximumFormAgeHours * 3_600_000));
}

/** Rows every ten minutes; stored files, which means walking the uploads area, every hour. */
export function startHousekeeping(db: Database, storage: FileStorage, policy: SessionPolicy, log: Logger, everyMilliseconds = 10 * 60_000) {
  const rows = setInterval(() => {
    sweepExpiredRows(db, policy).catch((error) => log.warn({ err: error }, 'housekeeping failed; will retry'));
  }, everyMilliseconds);
  const files = setInterval(() => {
    sweepOrphanFiles(db, storage, log).catch((error) => log.warn({ err: error }, 'orphan file sweep failed; will retry'));
  }, everyMilliseconds * 6);
  rows.unref();
  files.unref();
  return () => {
    clearInterval(rows);
    clearInterval(files);
  };
}
