import type { FastifyInstance, FastifyReply } from 'fastify';
import { askToConfirm, isConfirmed } from '../../lib/confirm.ts';
import { type FieldErrors, keptValues, parseForm } from '../../lib/forms.ts';
import { requireUuid } from '../../lib/ids.ts';
import { sharingClasses } from './databases.table.ts';
import { categoryRowCount, databaseFormValues, presentDatabase } from './databases.presenter.ts';
import { databaseFields, parseCategoryRows } from './databases.schemas.ts';
import {
  browseDatabasesForAdmin,
  browsePublicDatabases,
  DatabaseFormError,
  databaseAbilities,
  databaseFormChoices,
  getDatabaseForEdit,
  removeDatabase,
  saveDatabase,
} from './databases.service.ts';

type IdParams = { Params: { id: string } };

/** The public database catalogue: every database of the province and how each category of its data is shared. */
export async function publicDatabaseRoutes(app: FastifyInstance) {
  app.get('/catalogue/databases', async (request, reply) => {
    const rows = await browsePublicDatabases(app.db);
    return reply.page('public/catalogue-databases', {
      title: request.t('databases.public_title'),
      databases: rows.map((row) => presentDatabase(row, request.locale, request.t)),
    });
  });
}

/** DOIT records the province's databases (Lai Châu plan, part II.1). */
export default async function databaseAdminRoutes(app: FastifyInstance) {
  const databaseId = (request: { params: { id: string } }) => requireUuid(request.params.id, 'databases.not_found');

  async function renderForm(reply: FastifyReply, input: { id?: string; values: Record<string, unknown>; errors?: FieldErrors }) {
    const request = reply.request;
    const t = request.t;
    const { agencies } = await databaseFormChoices(app.db, request.actor);
    return reply.page('admin/catalogue-database-form', {
      title: input.id ? t('databases.edit_title') : t('databases.new_title'),
      action: input.id ? `/admin/catalogue/databases/${input.id}` : '/admin/catalogue/databases',
      deleteAction: input.id ? `/admin/catalogue/databases/${input.id}/delete` : null,
      values: input.values,
      errors: input.errors ?? {},
      rowCount: categoryRowCount(input.values),
      agencyOptions: [{ value: '', label: t('catalogue.choose') }, ...agencies.map((agency) => ({ value: agency.id, label: agency.name }))],
      classOptions: [{ value: '', label: t('catalogue.choose') }, ...sharingClasses.map((value) => ({ value, label: t(`databases.class_${value}`) }))],
    });
  }

  app.get('/admin/catalogue/databases', async (request, reply) => {
    const rows = await browseDatabasesForAdmin(app.db, request.actor);
    return reply.page('admin/catalogue-databases', {
      title: request.t('databases.admin_title'),
      databases: rows.map((row) => presentDatabase(row, request.locale, request.t)),
      can: databaseAbilities(request.actor),
    });
  });

  app.get('/admin/catalogue/databases/new', async (_request, reply) => renderForm(reply, { values: {} }));

  app.get<IdParams>('/admin/catalogue/databases/:id/edit', async (request, reply) => {
    const id = databaseId(request);
    return renderForm(reply, { id, values: databaseFormValues(await getDatabaseForEdit(app.db, request.actor, id)) });
  });

  async function save(reply: FastifyReply, id: string | undefined) {
    const request = reply.request;
    const values = keptValues(request.body);
    const parsed = parseForm(databaseFields, request.body);
    const categories = parseCategoryRows(request.body);
    const errors = { ...(parsed.ok ? {} : parsed.errors), ...categories.errors };
    if (!parsed.ok || Object.keys(errors).length > 0) return renderForm(reply.code(422), { id, values, errors });
    try {
      await saveDatabase(app.db, request.actor, id ?? null, parsed.data, categories.rows, categories.indexes);
    } catch (error) {
      if (error instanceof DatabaseFormError) return renderForm(reply.code(422), { id, values, errors: error.errors });
      throw error;
    }
    return reply.flash('databases.saved', { name: parsed.data.name }).redirect('/admin/catalogue/databases');
  }

  app.post('/admin/catalogue/databases', async (_request, reply) => save(reply, undefined));
  app.post<IdParams>('/admin/catalogue/databases/:id', async (request, reply) => save(reply, databaseId(request)));

  app.post<IdParams>('/admin/catalogue/databases/:id/delete', async (request, reply) => {
    const id = databaseId(request);
    if (!isConfirmed(request.body)) {
      const found = await getDatabaseForEdit(app.db, request.actor, id);
      return askToConfirm(reply, {
        question: request.t('databases.remove_question_named', { name: found.database.name }),
        confirmLabel: request.t('databases.remove'),
        action: `/admin/catalogue/databases/${id}/delete`,
        cancelUrl: `/admin/catalogue/databases/${id}/edit`,
      });
    }
    await removeDatabase(app.db, request.actor, id);
    return reply.flash('databases.removed').redirect('/admin/catalogue/databases');
  });
}
