import type { FastifyInstance } from 'fastify';
import { askToConfirm, isConfirmed } from '../../lib/confirm.ts';
import { requireUuid } from '../../lib/ids.ts';
import { parsePage } from '../../lib/pagination.ts';
import { requireSignedIn } from '../backoffice/require-signed-in.ts';
import { presentFailedJob } from './failed-jobs.presenter.ts';
import { browseFailedJobs, discardFailedJob, getFailedJob, retryFailedJob } from './failed-jobs.service.ts';

/** DOIT's dead-letter view: jobs that used up their retries, to retry or discard one by one. */
export default async function failedJobRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireSignedIn);

  app.get<{ Querystring: { page?: string } }>('/admin/jobs', async (request, reply) => {
    const page = await browseFailedJobs(app.db, request.actor, parsePage(request.query?.page));
    return reply.page('admin/jobs', {
      title: request.t('jobs.title'),
      page: { ...page, items: page.items.map(presentFailedJob) },
      pageUrl: (n: number) => `/admin/jobs?page=${n}`,
    });
  });

  app.post<{ Params: { id: string } }>('/admin/jobs/:id/retry', async (request, reply) => {
    const job = await retryFailedJob(app.db, request.actor, requireUuid(request.params.id, 'jobs.not_found'));
    return reply.flash('jobs.retried', { queue: job.queue }).redirect('/admin/jobs');
  });

  app.post<{ Params: { id: string } }>('/admin/jobs/:id/discard', async (request, reply) => {
    const id = requireUuid(request.params.id, 'jobs.not_found');
    if (!isConfirmed(request.body)) {
      const job = await getFailedJob(app.db, request.actor, id);
      return askToConfirm(reply, {
        question: request.t('jobs.confirm_discard', { queue: job.queue }),
        consequence: request.t('jobs.confirm_discard_consequence'),
        confirmLabel: request.t('jobs.discard'),
        action: request.url,
        cancelUrl: '/admin/jobs',
      });
    }
    const job = await discardFailedJob(app.db, request.actor, id);
    return reply.flash('jobs.discarded', { queue: job.queue }).redirect('/admin/jobs');
  });
}
