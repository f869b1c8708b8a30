import type { FastifyInstance, FastifyReply } from 'fastify';
import { baseUrlOf } from '../../lib/base-url.ts';
import { type FieldErrors, formErrorsFrom, keptValues, parseForm } from '../../lib/forms.ts';
import { requireUuid } from '../../lib/ids.ts';
import { updateFrequencies } from '../datasets/datasets.table.ts';
import { presentRequest } from './requests.presenter.ts';
import { approveRequestForm, declineRequestForm, entryRequestForm } from './requests.schemas.ts';
import { approveRequest, browseRequests, declineRequest, getRequest, requestAbilities, requestFormChoices, requestNewEntry } from './requests.service.ts';
import { localized } from '../../lib/localized.ts';

type IdParams = { Params: { id: string } };

/** Requests for a new catalogue entry (Art. 7.2): agencies ask, DOIT adds them to a catalogue or declines. */
export default async function catalogueRequestRoutes(app: FastifyInstance) {
  const requestId = (request: { params: { id: string } }) => requireUuid(request.params.id, 'requests.not_found');

  async function renderForm(reply: FastifyReply, values: Record<string, unknown>, errors: FieldErrors = {}) {
    const request = reply.request;
    const t = request.t;
    const { topics } = await requestFormChoices(app.db, request.actor);
    return reply.page('admin/catalogue-request-form', {
      title: t('requests.new_title'),
      values,
      errors,
      topicOptions: [{ value: '', label: t('catalogue.choose') }, ...topics.map((topic) => ({ value: topic.id, label: localized(topic, 'name', request.locale) }))],
      frequencyOptions: [{ value: '', label: t('catalogue.choose') }, ...updateFrequencies.map((value) => ({ value, label: t(`frequency.${value}`) }))],
    });
  }

  async function renderDetail(reply: FastifyReply, id: string, input: { values?: Record<string, unknown>; errors?: FieldErrors } = {}) {
    const request = reply.request;
    const row = await getRequest(app.db, request.actor, id);
    const year = new Date().getFullYear();
    return reply.page('admin/catalogue-request', {
      title: row.request.title,
      item: presentRequest(row, request.locale, request.t),
      can: requestAbilities(request.actor, row.request),
      targetOptions: [
        { value: 'current', label: request.t('requests.target_current', { year }) },
        { value: 'next', label: request.t('requests.target_next', { year: year + 1 }) },
      ],
      values: input.values ?? { target: 'current' },
      errors: input.errors ?? {},
    });
  }

  app.get('/admin/catalogue/requests', async (request, reply) => {
    const { rows, everyAgency } = await browseRequests(app.db, request.actor);
    const items = rows.map((row) => presentRequest(row, request.locale, request.t));
    return reply.page('admin/catalogue-requests', {
      title: everyAgency ? request.t('requests.queue_title') : request.t('requests.own_title'),
      pending: items.filter((item) => item.state === 'pending'),
      decided: items.filter((item) => item.state !== 'pending'),
      showAgency: everyAgency,
      can: requestAbilities(request.actor),
    });
  });

  app.get('/admin/catalogue/requests/new', async (_request, reply) => renderForm(reply, {}));

  app.post('/admin/catalogue/requests', async (request, reply) => {
    const parsed = parseForm(entryRequestForm, request.body);
    if (!parsed.ok) return renderForm(reply.code(422), keptValues(request.body), parsed.errors);
    try {
      await requestNewEntry(app.db, request.actor, parsed.data, baseUrlOf(app, request));
    } catch (error) {
      return renderForm(reply.code(422), keptValues(request.body), formErrorsFrom(error));
    }
    return reply.flash('requests.sent').redirect('/admin/catalogue/requests');
  });

  app.get<IdParams>('/admin/catalogue/requests/:id', async (request, reply) => renderDetail(reply, requestId(request)));

  app.post<IdParams>('/admin/catalogue/requests/:id/approve', async (request, reply) => {
    const id = requestId(request);
    const parsed = parseForm(approveRequestForm, request.body);
    if (!parsed.ok) return renderDetail(reply.code(422), id, { values: keptValues(request.body), errors: parsed.errors });
    try {
      const { catalogue, entry } = await approveRequest(app.db, request.actor, id, parsed.data, baseUrlOf(app, request));
      return reply.flash('requests.approved', { year: String(catalogue.year), number: String(entry.number) }).redirect(`/admin/catalogue/requests/${id}`);
    } catch (error) {
      return renderDetail(reply.code(422), id, { values: keptValues(request.body), errors: formErrorsFrom(error) });
    }
  });

  app.post<IdParams>('/admin/catalogue/requests/:id/decline', async (request, reply) => {
    const id = requestId(request);
    const parsed = parseForm(declineRequestForm, request.body);
    if (!parsed.ok) return renderDetail(reply.code(422), id, { values: keptValues(request.body), errors: parsed.errors });
    try {
      await declineRequest(app.db, request.actor, id, parsed.data.declineReason, baseUrlOf(app, request));
      return reply.flash('requests.declined').redirect(`/admin/catalogue/requests/${id}`);
    } catch (error) {
      return renderDetail(reply.code(422), id, { values: keptValues(request.body), errors: formErrorsFrom(error) });
    }
  });
}
