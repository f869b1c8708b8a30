import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { configuredBaseUrl } from '../../lib/base-url.ts';
import { verifyIntegrity } from './integrity.service.ts';

export const integrityJobName = 'verify-integrity';

/**
 * The daily integrity pass (Art. 5.1) on the job runner: pg-boss starts a schedule once across all
 * nodes, and a pass that throws (storage unreachable) is retried, then shown to DOIT among the
 * failed jobs. Problems found are not a failure of the job: they go to the audit log and DOIT's mail.
 */
export default fp(
  async (app: FastifyInstance) => {
    app.jobs.work(
      integrityJobName,
      async () => {
        const report = await verifyIntegrity(app.db, app.storage, { baseUrl: configuredBaseUrl(app.config) });
        if (report.problems.length > 0) app.log.error({ problems: report.problems.slice(0, 20), checked: report.checked }, 'integrity pass found changed or missing files');
        else app.log.info({ checked: report.checked }, 'integrity pass: every stored file matches its hash');
      },
      // Hashing every file takes a while on a large store: a node is taken for dead only after 6 h.
      { retryLimit: 2, retryDelaySeconds: 15 * 60, expireInSeconds: 6 * 60 * 60 },
    );
    // After the DataStore catch-up (02:30), at night in Vietnam.
    app.jobs.scheduleDaily(integrityJobName, '03:15');
  },
  { name: 'integrity-jobs', dependencies: ['jobs'] },
);
