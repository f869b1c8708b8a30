import type { FastifyInstance, FastifyReply } from 'fastify';
import { askToConfirm, isConfirmed } from '../../lib/confirm.ts';
import { formatDate } from '../../i18n/i18n.ts';
import { type FieldErrors, formErrorsFrom, keptValues, parseForm } from '../../lib/forms.ts';
import { requireUuid } from '../../lib/ids.ts';
import { presentResourceForReview, stateLabel } from '../datasets/datasets.admin.presenter.ts';
import { datasetAbilities } from '../datasets/datasets.policy.ts';
import { getWorkspace } from '../datasets/drafts.service.ts';
import { approveForm, returnForm, withdrawForm } from '../datasets/datasets.schemas.ts';
import { findTopicById } from '../topics/topics.repository.ts';
import { baseUrlOf } from '../../lib/base-url.ts';
import { inboxFor } from './inbox.service.ts';
import type { RevisionDiff } from './revision-diff.ts';
import { notifyReviewStep } from './review-notifications.ts';
import { approve, returnToOfficer, reviewOf, withdraw } from './reviews.service.ts';

/** The leader's side of the flow (782 Art. 8.3) and everyone's inbox. */
export default async function reviewRoutes(app: FastifyInstance) {
  app.get('/admin/inbox', async (request, reply) => {
    const inbox = await inboxFor(app.db, request.actor);
    return reply.page('admin/inbox', { title: request.t('backoffice.nav_inbox'), inbox });
  });

  async function renderReview(reply: FastifyReply, datasetId: string, errors: FieldErrors = {}, values: Record<string, string> = {}) {
    const request = reply.request;
    const review = await reviewOf(app.db, request.actor, datasetId);
    const topicName = async (topicId: string) => {
      const topic = await findTopicById(app.db, topicId);
      return topic ? (request.locale === 'en' ? topic.nameEn : topic.nameVi) : '';
    };
    // A field's value as a person reads it: the topic's name, the frequency in words, the date in the portal's style.
    const shown = async (field: string, value: string) => {
      if (!value) return value;
      if (field === 'topicId') return topicName(value);
      if (field === 'updateFrequency') return request.t(`frequency.${value}`);
      if (field === 'firstPublicationDate') return formatDate(request.locale, value);
      return value;
    };
    const presentDiff = async (diff: RevisionDiff) => ({
      fields: await Promise.all(
        diff.fields.map(async (change) => ({
          label: request.t(`datasets.field_${change.field}`),
          before: await shown(change.field, change.before),
          after: await shown(change.field, change.after),
        })),
      ),
      resources: diff.resources.map((change) => ({
        kind: change.kind,
        kindLabel: request.t(`reviews.change_${change.kind}`),
        before: change.before ? presentResourceForReview(change.before, request.t, datasetId) : null,
        after: change.after ? presentResourceForReview(change.after, request.t, datasetId) : null,
      })),
    });
    const { fields, resources } = review.diff ? await presentDiff(review.diff) : { fields: [], resources: [] };
    const sinceReturn = review.sinceReturn ? { at: review.sinceReturn.at, comment: review.sinceReturn.comment, ...(await presentDiff(review.sinceReturn.diff)) } : null;
    return reply.page('admin/dataset-review', {
      title: request.t('reviews.review_title', { title: review.candidate?.title ?? review.current?.title ?? '' }),
      dataset: { id: review.dataset.id, slug: review.dataset.slug },
      candidate: review.candidate ? { ...review.candidate, stateLabel: stateLabel(review.candidate.state, request.t) } : null,
      current: review.current,
      isFirstPublication: !review.current,
      sinceReturn,
      publicTitle: review.current?.title ?? review.candidate?.title ?? '',
      fields,
      resources,
      piiFlags: review.piiFlags.map((flag) => ({ resourceName: flag.resourceName, text: request.t(`uploads.pii_${flag.kind}`, { column: flag.column, matches: flag.matches, sample: flag.sample ?? '' }) })),
      history: review.history.map((row) => ({
        at: row.review.at,
        actionLabel: request.t(`reviews.action_${row.review.action}`),
        actorName: row.actorName ?? '—',
        comment: row.review.comment,
        revisionNumber: row.revisionNumber,
        piiConfirmed: row.review.piiConfirmed,
      })),
      can: datasetAbilities(request.actor, review.dataset, review.candidate),
      errors,
      values,
    });
  }

  app.get<{ Params: { id: string } }>('/admin/datasets/:id/review', async (request, reply) =>
    renderReview(reply, requireUuid(request.params.id, 'errors.dataset_not_found')),
  );

  app.post<{ Params: { id: string } }>('/admin/datasets/:id/approve', async (request, reply) => {
    const id = requireUuid(request.params.id, 'errors.dataset_not_found');
    const parsed = parseForm(approveForm, request.body);
    if (!parsed.ok) return renderReview(reply.code(422), id, parsed.errors, keptValues(request.body));
    try {
      const { dataset, revision } = await approve(app.db, request.actor, id, parsed.data);
      await notifyReviewStep(app.db, app.mailer, 'approved', dataset, revision, baseUrlOf(app, request));
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
      const { dataset, revision } = await returnToOfficer(app.db, request.actor, id, parsed.data.comment);
      await notifyReviewStep(app.db, app.mailer, 'returned', dataset, revision, baseUrlOf(app, request), parsed.data.comment);
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
