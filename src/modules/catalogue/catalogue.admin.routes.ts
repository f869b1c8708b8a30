import { attachmentDisposition } from '../../lib/content-disposition.ts';
import { localized } from '../../lib/localized.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { baseUrlOf } from '../../lib/base-url.ts';
import { AppError } from '../../lib/errors.ts';
import { type FieldErrors, formErrorsFrom, keptValues, parseForm } from '../../lib/forms.ts';
import { isUuid, requireUuid } from '../../lib/ids.ts';
import { authorize } from '../accounts/permissions.ts';
import { updateFrequencies } from '../datasets/datasets.table.ts';
import { catalogueFileMaxBytes } from './catalogue-import.ts';
import { catalogueToCsv, catalogueToXlsx } from './catalogue-export.ts';
import { catalogueAbilities } from './catalogue.policy.ts';
import { presentCatalogue, presentEntry, presentProblems } from './catalogue.presenter.ts';
import { approveForm, entryForm, parseTargetsForm, yearForm } from './catalogue.schemas.ts';
import { listTargets, saveTargets } from './targets.service.ts';
import {
  addEntry,
  approveCatalogue,
  browseCatalogues,
  CatalogueImportError,
  commitImport,
  createCatalogueForYear,
  editEntry,
  getCatalogueForAdmin,
  getCatalogueChoices,
  getCatalogueForExport,
  getEntryForEdit,
  previewImport,
  removeEntry,
  returnCatalogueToDraft,
  submitCatalogue,
} from './catalogue.service.ts';

type IdParams = { Params: { id: string } };
type EntryParams = { Params: { id: string; entryId: string } };

/** A file part read whole, up to one byte over the limit so that the service sees it is too large. */
/**
 * The uploaded catalogue file, read whole (it is small). The CSRF token is the form's first field, so
 * it is checked before the file is read and never travels in the address (issue 10, finding 11).
 */
async function readUpload(request: FastifyRequest, reply: FastifyReply): Promise<{ fileName: string; bytes: Buffer } | null> {
  if (!request.isMultipart()) {
    await reply.verifyMultipartCsrf(undefined);
    return null;
  }
  const part = await request.file();
  const token = part?.fields._csrf;
  await reply.verifyMultipartCsrf(token && !Array.isArray(token) && token.type === 'field' ? token.value : undefined);
  if (!part?.filename) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file) {
    size += chunk.length;
    if (size > catalogueFileMaxBytes + 1) {
      part.file.resume();
      break;
    }
    chunks.push(chunk);
  }
  return { fileName: part.filename, bytes: Buffer.concat(chunks).subarray(0, catalogueFileMaxBytes + 1) };
}

/** DOIT's yearly catalogue (782/QĐ-UBND Art. 7): entries, import, approval, export. */
export default async function catalogueAdminRoutes(app: FastifyInstance) {
  const catalogueId = (request: { params: { id: string } }) => requireUuid(request.params.id, 'catalogue.not_found');

  async function renderList(reply: FastifyReply, input: { values?: Record<string, unknown>; errors?: FieldErrors } = {}) {
    const request = reply.request;
    const rows = await browseCatalogues(app.db, request.actor);
    return reply.page('admin/catalogue-list', {
      title: request.t('catalogue.list_title'),
      catalogues: rows.map(({ catalogue, entryCount }) => ({ ...presentCatalogue(catalogue, request.locale, request.t), entryCount })),
      values: input.values ?? { year: String(new Date().getFullYear() + 1) },
      errors: input.errors ?? {},
    });
  }

  async function renderDetail(reply: FastifyReply, id: string, approve: { values: Record<string, unknown>; errors: FieldErrors } = { values: {}, errors: {} }) {
    const request = reply.request;
    const query = request.query as { agency?: string };
    const agencyId = isUuid(query.agency) ? query.agency : undefined;
    const { catalogue, entries, agencies } = await getCatalogueForAdmin(app.db, request.actor, id, { agencyId });
    return reply.page('admin/catalogue-detail', {
      title: request.t('catalogue.detail_title', { year: catalogue.year }),
      catalogue: presentCatalogue(catalogue, request.locale, request.t),
      can: catalogueAbilities(request.actor, catalogue),
      entries: entries.map((row) => presentEntry(row, request.locale, request.t)),
      agencyOptions: [{ value: '', label: request.t('catalogue.filter_all') }, ...agencies.map((agency) => ({ value: agency.id, label: agency.name }))],
      agencyId: agencyId ?? '',
      approveValues: approve.values,
      approveErrors: approve.errors,
    });
  }

  async function renderEntryForm(reply: FastifyReply, input: { id: string; entryId?: string; values: Record<string, unknown>; errors?: FieldErrors }) {
    const request = reply.request;
    const { catalogue, agencies, topics } = await getCatalogueChoices(app.db, request.actor, input.id);
    const t = request.t;
    return reply.page('admin/catalogue-entry-form', {
      title: input.entryId ? t('catalogue.edit_entry') : t('catalogue.new_entry'),
      catalogue: presentCatalogue(catalogue, request.locale, t),
      values: input.values,
      errors: input.errors ?? {},
      action: input.entryId ? `/admin/catalogue/${input.id}/entries/${input.entryId}` : `/admin/catalogue/${input.id}/entries`,
      agencyOptions: [{ value: '', label: t('catalogue.choose') }, ...agencies.map((agency) => ({ value: agency.id, label: agency.name }))],
      topicOptions: [{ value: '', label: t('catalogue.choose') }, ...topics.map((topic) => ({ value: topic.id, label: localized(topic, 'name', request.locale) }))],
      frequencyOptions: [{ value: '', label: t('catalogue.no_frequency') }, ...updateFrequencies.map((value) => ({ value, label: t(`frequency.${value}`) }))],
    });
  }

  app.get('/admin/catalogue', async (_request, reply) => renderList(reply));

  function renderTargets(reply: FastifyReply, rows: Array<{ year: unknown; percent: unknown }>, errors: FieldErrors = {}) {
    const blank = Array.from({ length: 3 }, () => ({ year: '', percent: '' }));
    return reply.page('admin/catalogue-targets', { title: reply.request.t('catalogue.targets_title'), rows: [...rows, ...blank], errors });
  }

  app.get('/admin/catalogue/targets', async (request, reply) => renderTargets(reply, await listTargets(app.db, request.actor)));

  app.post('/admin/catalogue/targets', async (request, reply) => {
    authorize(request.actor, 'settings.manage');
    const parsed = parseTargetsForm(request.body);
    if (!parsed.ok) {
      const body = keptValues(request.body);
      // Rows keep their indexes, so each sentence stays next to its cell.
      const rows = Array.from({ length: 50 }, (_, index) => ({ year: body[`year_${index}`] ?? '', percent: body[`percent_${index}`] ?? '' }));
      const last = rows.findLastIndex((row) => row.year || row.percent);
      rows.length = last + 1;
      return renderTargets(reply.code(422), rows, parsed.errors);
    }
    await saveTargets(app.db, request.actor, parsed.rows);
    return reply.flash('catalogue.targets_saved').redirect('/admin/catalogue/targets');
  });

  app.post('/admin/catalogue', async (request, reply) => {
    authorize(request.actor, 'catalogue.manage');
    const parsed = parseForm(yearForm, request.body);
    if (!parsed.ok) return renderList(reply.code(422), { values: keptValues(request.body), errors: parsed.errors });
    try {
      const catalogue = await createCatalogueForYear(app.db, request.actor, parsed.data.year);
      return reply.flash('catalogue.created', { year: String(catalogue.year) }).redirect(`/admin/catalogue/${catalogue.id}`);
    } catch (error) {
      return renderList(reply.code(422), { values: keptValues(request.body), errors: formErrorsFrom(error) });
    }
  });

  app.get<IdParams>('/admin/catalogue/:id', async (request, reply) => renderDetail(reply, catalogueId(request)));

  app.get<IdParams>('/admin/catalogue/:id/entries/new', async (request, reply) => renderEntryForm(reply, { id: catalogueId(request), values: {} }));

  app.post<IdParams>('/admin/catalogue/:id/entries', async (request, reply) => {
    const id = catalogueId(request);
    const parsed = parseForm(entryForm, request.body);
    if (!parsed.ok) return renderEntryForm(reply.code(422), { id, values: keptValues(request.body), errors: parsed.errors });
    try {
      const entry = await addEntry(app.db, request.actor, id, parsed.data);
      return reply.flash('catalogue.entry_saved', { number: String(entry.number) }).redirect(`/admin/catalogue/${id}`);
    } catch (error) {
      const code = error instanceof AppError ? error.statusCode : 422;
      return renderEntryForm(reply.code(code), { id, values: keptValues(request.body), errors: formErrorsFrom(error) });
    }
  });

  app.get<EntryParams>('/admin/catalogue/:id/entries/:entryId/edit', async (request, reply) => {
    const id = catalogueId(request);
    const { entry } = await getEntryForEdit(app.db, request.actor, id, requireUuid(request.params.entryId, 'catalogue.entry_not_found'));
    const values = { ...entry, number: String(entry.number), frequency: entry.frequency ?? '', firstPublicationDate: entry.firstPublicationDate ?? '' };
    return renderEntryForm(reply, { id, entryId: entry.id, values });
  });

  app.post<EntryParams>('/admin/catalogue/:id/entries/:entryId', async (request, reply) => {
    const id = catalogueId(request);
    const entryId = requireUuid(request.params.entryId, 'catalogue.entry_not_found');
    const parsed = parseForm(entryForm, request.body);
    if (!parsed.ok) return renderEntryForm(reply.code(422), { id, entryId, values: keptValues(request.body), errors: parsed.errors });
    try {
      const entry = await editEntry(app.db, request.actor, id, entryId, parsed.data);
      return reply.flash('catalogue.entry_saved', { number: String(entry.number) }).redirect(`/admin/catalogue/${id}`);
    } catch (error) {
      const code = error instanceof AppError ? error.statusCode : 422;
      return renderEntryForm(reply.code(code), { id, entryId, values: keptValues(request.body), errors: formErrorsFrom(error) });
    }
  });

  app.post<EntryParams>('/admin/catalogue/:id/entries/:entryId/delete', async (request, reply) => {
    const id = catalogueId(request);
    await removeEntry(app.db, request.actor, id, requireUuid(request.params.entryId, 'catalogue.entry_not_found'));
    return reply.flash('catalogue.entry_removed').redirect(`/admin/catalogue/${id}`);
  });

  // Status changes: a refusal (wrong state, empty catalogue) comes back as a sentence on the catalogue's page.
  const transitions = [
    ['submit', submitCatalogue, 'catalogue.submitted'],
    ['return', returnCatalogueToDraft, 'catalogue.returned'],
  ] as const;
  for (const [path, verb, message] of transitions) {
    app.post<IdParams>(`/admin/catalogue/:id/${path}`, async (request, reply) => {
      const id = catalogueId(request);
      try {
        const catalogue = await verb(app.db, request.actor, id);
        return reply.flash(message, { year: String(catalogue.year) }).redirect(`/admin/catalogue/${id}`);
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode === 403 || error.statusCode === 404) throw error;
        return reply.flash(error.messageKey, Object.fromEntries(Object.entries(error.params).map(([k, v]) => [k, String(v)])), 'error').redirect(`/admin/catalogue/${id}`);
      }
    });
  }

  app.post<IdParams>('/admin/catalogue/:id/approve', async (request, reply) => {
    const id = catalogueId(request);
    const parsed = parseForm(approveForm, request.body);
    let errors: FieldErrors = parsed.ok ? {} : parsed.errors;
    if (parsed.ok) {
      try {
        const catalogue = await approveCatalogue(app.db, request.actor, id, parsed.data);
        return reply.flash('catalogue.approved', { year: String(catalogue.year) }).redirect(`/admin/catalogue/${id}`);
      } catch (error) {
        errors = formErrorsFrom(error);
      }
    }
    return renderDetail(reply.code(422), id, { values: keptValues(request.body), errors });
  });

  app.get<IdParams>('/admin/catalogue/:id/import', async (request, reply) => {
    const id = catalogueId(request);
    const { catalogue, entries } = await getCatalogueForAdmin(app.db, request.actor, id);
    return reply.page('admin/catalogue-import', {
      title: request.t('catalogue.import_title', { year: catalogue.year }),
      catalogue: presentCatalogue(catalogue, request.locale, request.t),
      currentCount: entries.length,
      uploadAction: `/admin/catalogue/${id}/import`,
      problems: [],
      preview: null,
      errors: {},
    });
  });

  async function renderImport(reply: FastifyReply, id: string, upload: { fileName: string; bytes: Buffer } | null, failure?: CatalogueImportError) {
    const request = reply.request;
    const { catalogue, entries: current } = await getCatalogueForAdmin(app.db, request.actor, id);
    const page = {
      title: request.t('catalogue.import_title', { year: catalogue.year }),
      catalogue: presentCatalogue(catalogue, request.locale, request.t),
      currentCount: current.length,
      uploadAction: `/admin/catalogue/${id}/import`,
      problems: [] as ReturnType<typeof presentProblems>,
      preview: null as null | { fileName: string; content: string; count: number; rows: Array<Record<string, string | number>> },
      errors: {} as FieldErrors,
    };
    if (!upload) return reply.code(422).page('admin/catalogue-import', { ...page, errors: { file: 'catalogue.import_choose_file' } });
    if (failure) return reply.code(422).page('admin/catalogue-import', { ...page, problems: presentProblems(failure.problems, request.t) });
    const { entries, errors } = await previewImport(app.db, request.actor, id, upload.fileName, upload.bytes);
    if (errors.length > 0) return reply.code(422).page('admin/catalogue-import', { ...page, problems: presentProblems(errors, request.t) });
    return reply.page('admin/catalogue-import', {
      ...page,
      preview: {
        fileName: upload.fileName,
        content: upload.bytes.toString('base64'),
        count: entries.length,
        rows: entries.map((entry) => ({
          number: entry.number,
          title: entry.title,
          agencyName: entry.agencyName,
          topicName: entry.topicName,
          frequency: entry.frequency ? request.t(`frequency.${entry.frequency}`) : request.t('catalogue.no_frequency'),
        })),
      },
    });
  }

  // Step 1: the file is checked and shown; nothing is stored. Its bytes ride along in the confirm form.
  app.post<IdParams>('/admin/catalogue/:id/import', { config: { csrfInMultipartField: true } }, async (request, reply) => {
    const id = catalogueId(request);
    authorize(request.actor, 'catalogue.manage');
    return renderImport(reply, id, await readUpload(request, reply));
  });

  // Step 2: the same file is checked again and stored in one transaction, or nothing is stored.
  app.post<IdParams>('/admin/catalogue/:id/import/commit', async (request, reply) => {
    const id = catalogueId(request);
    const body = (request.body ?? {}) as { fileName?: string; content?: string };
    const upload = typeof body.fileName === 'string' && typeof body.content === 'string' ? { fileName: body.fileName, bytes: Buffer.from(body.content, 'base64') } : null;
    if (!upload) return renderImport(reply, id, null);
    try {
      const { catalogue, count } = await commitImport(app.db, request.actor, id, upload.fileName, upload.bytes);
      return reply.flash('catalogue.import_done', { count: String(count), year: String(catalogue.year) }).redirect(`/admin/catalogue/${id}`);
    } catch (error) {
      if (error instanceof CatalogueImportError) return renderImport(reply, id, upload, error);
      throw error;
    }
  });

  app.get<IdParams>('/admin/catalogue/:id/export.csv', async (request, reply) => {
    const { catalogue, entries } = await getCatalogueForExport(app.db, request.actor, catalogueId(request));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', attachmentDisposition(`danh-muc-du-lieu-mo-${catalogue.year}.csv`))
      .send(catalogueToCsv(entries, baseUrlOf(app, request)));
  });

  app.get<IdParams>('/admin/catalogue/:id/export.xlsx', async (request, reply) => {
    const { catalogue, entries } = await getCatalogueForExport(app.db, request.actor, catalogueId(request));
    const site = await app.settings.site();
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', attachmentDisposition(`danh-muc-du-lieu-mo-${catalogue.year}.xlsx`))
      .send(await catalogueToXlsx(catalogue, entries, { baseUrl: baseUrlOf(app, request), provinceName: site.provinceName }));
  });
}
