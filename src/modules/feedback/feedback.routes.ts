import type { FastifyInstance, FastifyReply } from 'fastify';
import { formatDate } from '../../i18n/i18n.ts';
import { baseUrlOf } from '../../lib/base-url.ts';
import { AppError } from '../../lib/errors.ts';
import { type FieldErrors, formErrorsFrom, keptValues, parseForm } from '../../lib/forms.ts';
import { isUuid, requireUuid } from '../../lib/ids.ts';
import { parsePage } from '../../lib/pagination.ts';
import { filledHoneypot, honeypotField } from './feedback.antispam.ts';
import { deadlineRuleFrom } from './feedback.deadline.ts';
import { presentPublicFeedback } from './feedback.presenter.ts';
import { feedbackFormContext, kindOptions } from './feedback.sections.ts';
import { feedbackForm, publicListQuery } from './feedback.schemas.ts';
import { browsePublicFeedbackBySlugs, feedbackFormChoices, getPublicFeedback, submitFeedback } from './feedback.service.ts';
import { feedbackStatuses } from './feedback.table.ts';
import { localized } from '../../lib/localized.ts';

const pageSize = 20;

const stampProblems = { too_fast: 'feedback.too_fast', expired: 'feedback.form_expired', reused: 'security.form_already_sent' } as const;

/** A flood from one address is stopped before it reaches the database (issue 6, point 2). */
const feedbackRateLimit = { max: 10, timeWindow: '15 minutes' } as const;

/** The public side of feedback (782 Art. 9): the form, the list with its filters in the URL, each item's page. */
export default async function feedbackRoutes(app: FastifyInstance) {
  app.pageCache.defineHole('feedback-stamp', () => app.feedbackStamps.issue());
  async function renderForm(reply: FastifyReply, values: Record<string, string>, errors: FieldErrors = {}) {
    const request = reply.request;
    const { dataset, agencies, topics } = await feedbackFormChoices(app.db, { id: isUuid(values.datasetId) ? values.datasetId : undefined });
    const site = await app.settings.site();
    return reply.page('public/feedback-new', {
      title: request.t('feedback.new_title'),
      values: { ...values, [honeypotField]: '' },
      errors,
      dataset: dataset ? { id: dataset.id, title: dataset.title, url: `/dataset/${dataset.slug}` } : null,
      agencyOptions: [{ value: '', label: request.t('feedback.agency_doit', { operator: localized(site, 'operatorName', request.locale) }) }, ...agencies.map((agency) => ({ value: agency.id, label: agency.name }))],
      topicOptions: [{ value: '', label: request.t('feedback.topic_any') }, ...topics.map((topic) => ({ value: topic.id, label: localized(topic, 'name', request.locale) }))],
      deadline: { days: site.feedbackDeadlineDays, workingDays: site.feedbackWorkingDays },
      ...feedbackFormContext(reply),
    });
  }

  app.get('/feedback', async (request, reply) => {
    const query = publicListQuery.parse(request.query ?? {});
    const datasetSlug = typeof (request.query as { dataset?: unknown })?.dataset === 'string' ? String((request.query as { dataset: string }).dataset).slice(0, 200) : '';
    const page = parsePage(query.page, pageSize);
    const { result, dataset, agencies, topics } = await browsePublicFeedbackBySlugs(
      app.db,
      { status: query.status || undefined, kind: query.type || undefined, agency: query.agency || undefined, topic: query.topic || undefined, dataset: datasetSlug || undefined },
      page,
    );
    const site = await app.settings.site();
    return reply.page('public/feedback-list', {
      title: request.t('feedback.list_title'),
      filters: { status: query.status, type: query.type, agency: query.agency, topic: query.topic, dataset: datasetSlug },
      dataset: dataset ? { title: dataset.title, url: `/dataset/${dataset.slug}` } : null,
      statusOptions: [{ value: '', label: request.t('feedback.any_status') }, ...[...feedbackStatuses, 'overdue'].map((status) => ({ value: status, label: request.t(`feedback.status_${status}`) }))],
      typeOptions: [{ value: '', label: request.t('feedback.any_kind') }, ...kindOptions(request, false)],
      agencyOptions: [{ value: '', label: request.t('feedback.any_agency') }, ...agencies.map((row) => ({ value: row.slug, label: row.name }))],
      topicOptions: [{ value: '', label: request.t('feedback.any_topic') }, ...topics.map((row) => ({ value: row.slug, label: localized(row, 'name', request.locale) }))],
      deadline: { days: site.feedbackDeadlineDays, workingDays: site.feedbackWorkingDays },
      page: { ...result, items: result.items.map((item) => presentPublicFeedback(item, request.locale)) },
    });
  });

  app.get<{ Querystring: { dataset?: string } }>('/feedback/new', async (request, reply) => {
    const slug = typeof request.query.dataset === 'string' ? request.query.dataset.slice(0, 200) : '';
    const { dataset } = await feedbackFormChoices(app.db, { slug: slug || undefined });
    return renderForm(reply, { kind: '', datasetId: dataset?.id ?? '' });
  });

  app.post(
    '/feedback',
    { config: { rateLimit: { ...feedbackRateLimit, errorResponseBuilder: () => new AppError(429, 'rate_limited', 'feedback.rate_limited') } } },
    async (request, reply) => {
      // A robot that fills every box is thanked and forgotten: telling it why would teach it.
      if (filledHoneypot(request.body)) return reply.flash('feedback.received_plain').redirect('/feedback');
      const values = keptValues(request.body);
      const stamp = await app.feedbackStamps.check((request.body as Record<string, unknown> | undefined)?.stamp);
      if (stamp !== 'ok') return renderForm(reply.code(422), values, { _form: stampProblems[stamp] });
      const parsed = parseForm(feedbackForm, request.body);
      if (!parsed.ok) return renderForm(reply.code(422), values, parsed.errors);
      let item: Awaited<ReturnType<typeof submitFeedback>>;
      try {
        item = await submitFeedback(app.db, parsed.data, { rule: deadlineRuleFrom(await app.settings.site()), locale: request.locale, baseUrl: baseUrlOf(app, request) });
      } catch (error) {
        return renderForm(reply.code(422), values, formErrorsFrom(error));
      }
      return reply.flash('feedback.received', { number: String(item.number), due: formatDate(request.locale, item.dueOn) }).redirect(`/feedback/${item.id}`);
    },
  );

  app.get<{ Params: { id: string } }>('/feedback/:id', async (request, reply) => {
    const item = presentPublicFeedback(await getPublicFeedback(app.db, requireUuid(request.params.id, 'feedback.not_found')), request.locale);
    return reply.page('public/feedback-item', { title: item.title, description: item.message.slice(0, 180), item });
  });
}

