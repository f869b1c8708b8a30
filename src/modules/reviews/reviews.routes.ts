import type { FastifyInstance, FastifyReply } from 'fastify';
import { baseUrlOf } from '../../lib/base-url.ts';
import { askToConfirm, isConfirmed } from '../../lib/confirm.ts';
import { type FieldErrors, formErrorsFrom, keptValues, parseForm } from '../../lib/forms.ts';
import { requireUuid } from '../../lib/ids.ts';
import { approveForm, returnForm, withdrawForm } from '../datasets/datasets.schemas.ts';
import { getWorkspace } from '../datasets/drafts.service.ts';
import { inboxFor } from './inbox.service.ts';
import { presentInbox, presentReview } from './reviews.presenter.ts';
import { approve, returnToOfficer, reviewOf, withdraw } from './reviews.service.ts';

/** The leader's side of the flow (782 Art. 8.3) and everyone's inbox. */
export default async function reviewRoutes(app: FastifyInstance) {
  app.get('/admin/inbox', async (request, reply) => {
    const inbox = await inboxFor(app.db, request.actor);
    return reply.page('admin/inbox', { title: request.t('backoffice.nav_inbox'), inbox: presentInbox(inbox, request) });
  });

  async function renderReview(reply: FastifyReply, datasetId: string, errors: FieldErrors = {}, values: Record<string, string> = {}) {
    const request = reply.request;
    const review = await reviewOf(app.db, request.actor, datasetId);
    return reply.page('admin/dataset-review', { ...presentReview(review, request), errors, values });
  }

  app.get<{ Params: { id: string } }>('/admin/datasets/:id/review', async (request, reply) =>
    renderReview(reply, requireUuid(request.params.id, 'errors.dataset_not_found')),
  );

  app.post<{ Params: { id: string } }>('/admin/datasets/:id/approve', async (request, reply) => {
    const id = requireUuid(request.params.id, 'errors.dataset_not_found');
    const parsed = parseForm(approveForm, request.body);
    if (!parsed.ok) return renderReview(reply.code(422), id, parsed.errors, keptValues(request.body));
    try {
      await approve(app.db, request.actor, id, parsed.data, { baseUrl: baseUrlOf(app, request) });
    } catch (error) {
      return renderReview(reply.code(422), id, formErrorsFrom(error), keptValues(request.body));
    }
    return reply.flash('reviews.approved').redirect('/admin/inbox');
  });

  app.post<{ Params: { id: string } }>('/admin/datasets/:id/return', async (request, reply) => {
    const id = requireUuid(request.params.id, 'errors.dataset_not_found');
    const parsed = parseForm(returnForm, request.body);
    if (!parsed.ok) return renderReview(reply.code(422), id, parsed.errors, keptValues(request.body));
    try {
      await returnToOfficer(app.db, request.actor, id, parsed.data.comment, { baseUrl: baseUrlOf(app, request) });
    } catch (error) {
      return renderReview(reply.code(422), id, formErrorsFrom(error), keptValues(request.body));
    }
    return reply.flash('reviews.returned').redirect('/admin/inbox');
  });

  app.post<{ Params: { id: string } }>('/admin/datasets/:id/withdraw', async (request, reply) => {
    const id = requireUuid(request.params.id, 'errors.dataset_not_found');
    const parsed = parseForm(withdrawForm, request.body);
    if (!parsed.ok) return renderReview(reply.code(422), id, parsed.errors, keptValues(request.body));
    if (!isConfirmed(request.body)) {
      const { shown } = await getWorkspace(app.db, request.actor, id);
      return askToConfirm(reply, {
        question: request.t('ui.confirm_withdraw', { title: shown.title }),
        consequence: request.t('ui.confirm_withdraw_consequence'),
        confirmLabel: request.t('reviews.withdraw'),
        action: request.url,
        cancelUrl: `/admin/datasets/${id}/review`,
        fields: { reason: parsed.data.reason },
      });
    }
    try {
      await withdraw(app.db, request.actor, id, parsed.data.reason);
    } catch (error) {
      return renderReview(reply.code(422), id, formErrorsFrom(error), keptValues(request.body));
    }
    return reply.flash('reviews.withdrawn').redirect(`/admin/datasets/${id}`);
  });
}
