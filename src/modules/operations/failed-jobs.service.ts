import type { Database } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { type PageRequest, toPage } from '../../lib/pagination.ts';
import { type Actor, authorize } from '../accounts/permissions.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { deleteFailedJob, findFailedJob, listFailedJobs, markForRetry } from '../jobs/failed-jobs.repository.ts';

/**
 * The dead letters of the job runner (issue 17, item 1): jobs whose retries are used up wait here
 * until DOIT retries or discards them, each decision in the audit log (782 Art. 5.1).
 */
export async function browseFailedJobs(db: Database, actor: Actor | null, page: PageRequest) {
  authorize(actor, 'jobs.manage');
  const { rows, total } = await listFailedJobs(db, page.pageSize, page.offset);
  return toPage(rows, total, page);
}

/** One failed job (for the question asked before discarding it). */
export async function getFailedJob(db: Database, actor: Actor | null, id: string) {
  authorize(actor, 'jobs.manage');
  const job = await findFailedJob(db, id);
  if (!job) throw notFound('jobs.not_found');
  return job;
}

/** One more attempt; the job keeps its id and payload. */
export async function retryFailedJob(db: Database, actor: Actor | null, id: string) {
  authorize(actor, 'jobs.manage');
  return db.transaction(async (tx) => {
    const job = await findFailedJob(tx, id);
    if (!job || !(await markForRetry(tx, job.queue, job.id))) throw notFound('jobs.not_found');
    await recordAudit(tx, actor, { action: 'jobs.retried', objectType: 'job', objectId: job.id, objectLabel: job.queue, details: { retryCount: job.retryCount } });
    return job;
  });
}

/** The job will not run again (a mail to an address that no longer exists, a file deleted since). */
export async function discardFailedJob(db: Database, actor: Actor | null, id: string) {
  authorize(actor, 'jobs.manage');
  return db.transaction(async (tx) => {
    const job = await findFailedJob(tx, id);
    if (!job || !(await deleteFailedJob(tx, job.queue, job.id))) throw notFound('jobs.not_found');
    // The payload goes to the audit row: once discarded, it is the only trace of what was asked.
    await recordAudit(tx, actor, { action: 'jobs.discarded', objectType: 'job', objectId: job.id, objectLabel: job.queue, details: { payload: job.payload, output: job.output } });
    return job;
  });
}
