import type { FastifyInstance, FastifyReply } from 'fastify';
import { type FieldErrors, formErrorsFrom, keptValues, parseForm } from '../../lib/forms.ts';
import { requireUuid } from '../../lib/ids.ts';
import { authorize } from '../accounts/permissions.ts';
import { agencyForm } from './agencies.schemas.ts';
import { browseAllAgencies, createAgency, editAgency, getAgencyForEdit, setAgencyActive } from './agencies.service.ts';
import { agencyKinds } from './agencies.table.ts';

/** DOIT manages agencies (782 Art. 5.1). */
export default async function agencyAdminRoutes(app: FastifyInstance) {
  function renderForm(reply: FastifyReply, input: { values: Record<string, unknown>; errors?: FieldErrors; agencyId?: string }) {
    const t = reply.request.t;
    return reply.page('admin/agency-form', {
      title: input.agencyId ? t('agencies.edit_title') : t('agencies.new_title'),
      values: input.values,
      errors: input.errors ?? {},
      action: input.agencyId ? `/admin/agencies/${input.agencyId}` : '/admin/agencies',
      kindOptions: agencyKinds.map((kind) => ({ value: kind, label: t(`agencies.kind_${kind}`) })),
    });
  }

  app.get('/admin/agencies', async (request, reply) => {
    const rows = await browseAllAgencies(app.db, request.actor);
    return reply.page('admin/agency-list', {
      title: request.t('backoffice.nav_agencies'),
      agencies: rows.map(({ agency, datasetCount }) => ({
        id: agency.id,
        name: agency.name,
        kindLabel: request.t(`agencies.kind_${agency.kind}`),
        active: agency.active,
        datasetCount,
        publicUrl: `/organization/${agency.slug}`,
      })),
    });
  });

  app.get('/admin/agencies/new', async (request, reply) => {
    authorize(request.actor, 'agency.manage');
    return renderForm(reply, { values: { kind: 'department' } });
  });

  app.post('/admin/agencies', async (request, reply) => {
    authorize(request.actor, 'agency.manage');
    const parsed = parseForm(agencyForm, request.body);
    if (!parsed.ok) return renderForm(reply.code(422), { values: keptValues(request.body), errors: parsed.errors });
    try {
      const agency = await createAgency(app.db, request.actor, parsed.data);
      return reply.flash('agencies.created', { name: agency.name }).redirect('/admin/agencies');
    } catch (error) {
      return renderForm(reply.code(422), { values: keptValues(request.body), errors: formErrorsFrom(error) });
    }
  });

  app.get<{ Params: { id: string } }>('/admin/agencies/:id/edit', async (request, reply) => {
    const agency = await getAgencyForEdit(app.db, request.actor, requireUuid(request.params.id, 'errors.agency_not_found'));
    return renderForm(reply, { values: agency, agencyId: agency.id });
  });

  app.post<{ Params: { id: string } }>('/admin/agencies/:id', async (request, reply) => {
    authorize(request.actor, 'agency.manage');
    const id = requireUuid(request.params.id, 'errors.agency_not_found');
    const parsed = parseForm(agencyForm, request.body);
    if (!parsed.ok) return renderForm(reply.code(422), { values: keptValues(request.body), errors: parsed.errors, agencyId: id });
    try {
      const agency = await editAgency(app.db, request.actor, id, parsed.data);
      return reply.flash('agencies.updated', { name: agency.name }).redirect('/admin/agencies');
    } catch (error) {
      return renderForm(reply.code(422), { values: keptValues(request.body), errors: formErrorsFrom(error), agencyId: id });
    }
  });

  for (const [path, active] of [['deactivate', false], ['reactivate', true]] as const) {
    app.post<{ Params: { id: string } }>(`/admin/agencies/:id/${path}`, async (request, reply) => {
      const agency = await setAgencyActive(app.db, request.actor, requireUuid(request.params.id, 'errors.agency_not_found'), active);
      return reply.flash(active ? 'agencies.reactivated' : 'agencies.deactivated', { name: agency.name }).redirect('/admin/agencies');
    });
  }
}
