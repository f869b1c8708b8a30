import type { Database } from '../../db/client.ts';
import type { FileStorage } from '../../storage/file-storage.ts';
import { verifyIntegrity } from './integrity.service.ts';

interface Logger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const integrityEveryMilliseconds = 24 * 60 * 60_000;

/**
 * A daily integrity pass beside housekeeping, in the web process. Each node runs its own (the pass
 * only reads files and writes one audit row, so two are harmless). When the pg-boss job runner lands
 * (src/modules/jobs), replace this with `boss.schedule('verify-integrity', '0 3 * * *')` and a worker
 * calling verifyIntegrity(): pg-boss runs a schedule once across nodes and retries a failed pass.
 */
export function startIntegritySchedule(db: Database, storage: FileStorage, log: Logger, everyMilliseconds = integrityEveryMilliseconds) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    verifyIntegrity(db, storage)
      .then((report) => {
        if (report.problems.length > 0) log.error({ problems: report.problems.slice(0, 20), checked: report.checked }, 'integrity pass found changed or missing files');
        else log.info({ checked: report.checked }, 'integrity pass: every stored file matches its hash');
      })
      .catch((error) => log.warn({ err: error }, 'integrity pass failed; will run again tomorrow'))
      .finally(() => {
        running = false;
      });
  }, everyMilliseconds);
  timer.unref();
  return () => clearInterval(timer);
}
