import type { Database } from '../../db/client.ts';
import { deleteLoginFailuresBefore } from '../accounts/accounts.repository.ts';
import { loginLimits } from '../accounts/accounts.service.ts';
import { runDeadlineReminders } from '../catalogue/reminders.service.ts';
import { deleteExpiredSessions, type SessionPolicy } from '../sessions/sessions.service.ts';

interface Logger {
  warn(details: object, message: string): void;
}

/** Rows that only grow: expired sessions and failed sign-ins older than the counting window. */
export async function sweepExpiredRows(db: Database, policy: SessionPolicy, now = new Date()): Promise<void> {
  await deleteExpiredSessions(db, policy, now);
  await deleteLoginFailuresBefore(db, new Date(now.getTime() - loginLimits.windowMinutes * 60_000));
}

export function startHousekeeping(db: Database, policy: SessionPolicy, log: Logger, everyMilliseconds = 10 * 60_000) {
  const timer = setInterval(() => {
    sweepExpiredRows(db, policy).catch((error) => log.warn({ err: error }, 'housekeeping failed; will retry'));
    // Deadline reminders are idempotent (one notice per entry, period and kind): every tick is safe, and
    // the day's notices appear within one tick of midnight. To move to the job runner: schedule daily.
    runDeadlineReminders(db).catch((error) => log.warn({ err: error }, 'deadline reminders failed; will retry'));
  }, everyMilliseconds);
  timer.unref();
  return () => clearInterval(timer);
}
