import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Queryable } from '../../db/client.ts';
import { enqueueJob } from '../jobs/jobs.service.ts';
import type { Mail } from './mailer.ts';

export const mailJobName = 'mail.send';

/**
 * Asks for a mail inside the caller's transaction: it leaves only if the change commits, and a
 * failing SMTP server is retried by the job runner (then kept as a failed job DOIT can see) instead
 * of being lost or slowing the request down.
 */
export async function queueMail(tx: Queryable, mail: Mail): Promise<void> {
  const to = (Array.isArray(mail.to) ? mail.to : [mail.to]).filter(Boolean);
  if (to.length === 0) return;
  await enqueueJob(tx, mailJobName, { to, subject: mail.subject, text: mail.text });
}

/** The worker that hands queued mail to SMTP; a refusal throws so that the job is retried. */
export default fp(
  async (app: FastifyInstance) => {
    app.jobs.work<Mail>(mailJobName, async (job) => app.mailer.deliver(job.payload), { retryLimit: 5, retryDelaySeconds: 30 });
  },
  { name: 'mail-queue', dependencies: ['jobs'] },
);
