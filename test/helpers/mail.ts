import type { FastifyInstance } from 'fastify';
import type { Mail } from '../../src/modules/notifications/mailer.ts';

/**
 * Mail queued by a request (queueMail) leaves through the job runner: this moves the outbox and waits
 * until `count` more mails have been sent, then returns the mails sent so far. No timing is asserted;
 * it gives up after 30 s with what it saw.
 */
export async function deliveredMail(app: FastifyInstance, count = 1): Promise<Mail[]> {
  await app.ready();
  const before = app.mailer.sent.length;
  const deadline = Date.now() + 30_000;
  await app.jobs.moveOutbox();
  while (app.mailer.sent.length < before + count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} more mail(s), ${app.mailer.sent.length - before} sent`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await app.jobs.moveOutbox();
  }
  return app.mailer.sent;
}
