import type { FastifyInstance, FastifyReply } from 'fastify';
import { baseUrlOf } from '../../lib/base-url.ts';
import { AppError } from '../../lib/errors.ts';
import { type FieldErrors, formErrorsFrom, keptValues, parseForm } from '../../lib/forms.ts';
import { requireUuid } from '../../lib/ids.ts';
import { parsePage } from '../../lib/pagination.ts';
import { can } from '../accounts/permissions.ts';
import { presentOfficeFeedback } from './feedback.presenter.ts';
import { answerForm, closeForm, forwardForm, hideForm, inboxQuery, linkDatasetForm, reassignForm } from './feedback.schemas.ts';
import {
  answerFeedback,
  closeFeedback,
  feedbackForOffice,
  feedbackInbox,
  forwardToDoit,
  hideFeedback,
  type InboxStatus,
  linkAnsweringDataset,
  reassignFeedback,
  unhideFeedback,
} from './feedback.service.ts';

const inboxStatuses: InboxStatus[] = ['open', 'overdue', 'answered', 'resolved', 'declined', 'all'];

/** The holding agency answers, closes or forwards feedback; DOIT reassigns and moderates it (782 Art. 9.2). */
export default async function feedbackAdminRoutes(app: FastifyInstance) {
  const mailFor = (reply: FastifyReply) => ({ baseUrl: baseUrlOf(app, reply.request) });

  app.get('/admin/feedback', async (request, reply) => {
    const query = inboxQuery.parse(request.query ?? {});
    const everyone = (request.query as { scope?: unknown } | undefined)?.scope === 'all';
    const status: InboxStatus = query.status || 'open';
    const page = await feedbackInbox(app.db, request.actor, { status, everyone }, parsePage(query.page, 20));
    const moderates = can(request.actor, 'feedback.moderate');
    const statuses = moderates ? [...inboxStatuses, 'hidden' as const] : inboxStatuses;
    return reply.page('admin/feedback-inbox', {
      title: request.t('feedback.nav'),
      status,
      everyone,
      canSeeEveryone: can(request.actor, 'feedback.route'),
      tabs: statuses.map((value) => ({
        value,
        label: request.t(`feedback.status_${value}`),
        url: `/admin/feedback?status=${value}${everyone ? '&scope=all' : ''}`,
        current: value === status,
      })),
      page: { ...page, items: page.items.map((item) => presentOfficeFeedback(item.row, item.latest, request.locale)) },
    });
  });

  async function renderItem(reply: FastifyReply, id: string, errors: FieldErrors = {}, values: Record<string, string> = {}) {
    const request = reply.request;
    const { row, answers, can, agencyChoices: agencies } = await feedbackForOffice(app.db, request.actor, id);
    const latest = answers.length > 0 ? { answer: answers[answers.length - 1].answer, versions: answers.length } : null;
    return reply.page('admin/feedback-item', {
      title: request.t('feedback.item_title', { number: row.feedback.number }),
      item: presentOfficeFeedback(row, latest, request.locale, answers),
      can,
      agencyOptions: [{ value: '', label: request.t('feedback.choose_agency') }, ...agencies.map((agency) => ({ value: agency.id, label: agency.name }))],
      outcomeOptions: [
        { value: 'resolved', label: request.t('feedback.status_resolved') },
        { value: 'declined', label: request.t('feedback.status_declined') },
      ],
      errors,
      values: { body: latest?.answer.body ?? '', ...values },
    });
  }

  app.get<{ Params: { id: string } }>('/admin/feedback/:id', async (request, reply) => renderItem(reply, requireUuid(request.params.id, 'feedback.not_found')));

  /** Each action: parse the form, call one verb (which queues any mail inside its transaction). */
  function action<T>(
    path: string,
    schema: Parameters<typeof parseForm<T>>[0],
    run: (id: string, data: T, reply: FastifyReply) => Promise<string>,
  ) {
    app.post<{ Params: { id: string } }>(`/admin/feedback/:id/${path}`, async (request, reply) => {
      const id = requireUuid(request.params.id, 'feedback.not_found');
      const parsed = parseForm(schema, request.body);
      if (!parsed.ok) return renderItem(reply.code(422), id, parsed.errors, keptValues(request.body));
      let flash: string;
      try {
        flash = await run(id, parsed.data, reply);
      } catch (error) {
        const errors = formErrorsFrom(error);
        return renderItem(reply.code(error instanceof AppError ? error.statusCode : 422), id, errors, keptValues(request.body));
      }
      // Forwarded feedback belongs to DOIT now: the agency goes back to its inbox.
      return reply.flash(flash).redirect(path === 'forward' ? '/admin/feedback' : `/admin/feedback/${id}`);
    });
  }

  action('answer', answerForm, async (id, data, reply) => {
    const { firstResponse } = await answerFeedback(app.db, reply.request.actor, id, data.body, undefined, mailFor(reply));
    return firstResponse ? 'feedback.answer_published' : 'feedback.answer_edited';
  });

  action('close', closeForm, async (id, data, reply) => {
    await closeFeedback(app.db, reply.request.actor, id, data, undefined, mailFor(reply));
    return data.outcome === 'resolved' ? 'feedback.resolved' : 'feedback.declined';
  });

  action('forward', forwardForm, async (id, data, reply) => {
    await forwardToDoit(app.db, reply.request.actor, id, data.note, undefined, mailFor(reply));
    return 'feedback.forwarded';
  });

  action('reassign', reassignForm, async (id, data, reply) => {
    await reassignFeedback(app.db, reply.request.actor, id, data.agencyId, mailFor(reply));
    return 'feedback.reassigned';
  });

  action('hide', hideForm, async (id, data, reply) => {
    await hideFeedback(app.db, reply.request.actor, id, data.hideReason);
    return 'feedback.hidden';
  });

  action('link', linkDatasetForm, async (id, data, reply) => {
    await linkAnsweringDataset(app.db, reply.request.actor, id, data.dataset);
    return 'feedback.linked';
  });

  app.post<{ Params: { id: string } }>('/admin/feedback/:id/unhide', async (request, reply) => {
    const id = requireUuid(request.params.id, 'feedback.not_found');
    await unhideFeedback(app.db, request.actor, id);
    return reply.flash('feedback.unhidden').redirect(`/admin/feedback/${id}`);
  });
}
