import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { askToConfirm, isConfirmed } from '../../lib/confirm.ts';
import { attachmentDisposition } from '../../lib/content-disposition.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { type FieldErrors, formErrorsFrom, keptValues, parseForm } from '../../lib/forms.ts';
import { requireUuid } from '../../lib/ids.ts';
import { baseUrlOf } from '../../lib/base-url.ts';
import { clientGone } from '../previews/file-jobs.ts';
import { addLink, addUploadedFile, removeResource } from '../resources/uploads.service.ts';
import { submitForReview } from '../reviews/reviews.service.ts';
import { datasetFormOptions, presentWorkspace, presentWorkspaceRow, revisionFormValues } from './datasets.admin.presenter.ts';
import { authorizeDataset } from './datasets.policy.ts';
import { datasetForm, linkForm } from './datasets.schemas.ts';
import { createDraft, datasetFormChoices, discardDraft, draftFileOf, editDraft, editFormOf, getWorkspace, newDatasetForm, workspaceList } from './drafts.service.ts';

/** Officers prepare their agency's datasets through these forms (782 Art. 8.2). */
export default async function datasetAdminRoutes(app: FastifyInstance) {
  const stagingDir = path.join(app.config.dataDir, 'tmp', 'uploads');
  const uploadOptions = { maxBytes: app.config.UPLOAD_MAX_MB * 1024 * 1024, stagingDir };

  async function renderForm(reply: FastifyReply, input: { values: Record<string, unknown>; errors?: FieldErrors; datasetId?: string; slugFixed?: boolean }) {
    const request = reply.request;
    return reply.page('admin/dataset-form', {
      title: input.datasetId ? request.t('datasets.edit_title') : request.t('datasets.new_title'),
      values: input.values,
      errors: input.errors ?? {},
      action: input.datasetId ? `/admin/datasets/${input.datasetId}` : '/admin/datasets',
      cancelUrl: input.datasetId ? `/admin/datasets/${input.datasetId}` : '/admin/datasets',
      slugFixed: input.slugFixed ?? false,
      ...datasetFormOptions(await datasetFormChoices(app.db), request.t, request.locale),
    });
  }

  async function renderWorkspace(reply: FastifyReply, datasetId: string, errors: FieldErrors = {}, linkValues: Record<string, string> = {}) {
    const request = reply.request;
    const workspace = await getWorkspace(app.db, request.actor, datasetId);
    return reply.page('admin/dataset-workspace', {
      ...presentWorkspace(workspace, request.t),
      uploadAction: `/admin/datasets/${workspace.dataset.id}/resources`,
      maxUploadMb: app.config.UPLOAD_MAX_MB,
      errors,
      linkValues,
    });
  }

  app.get('/admin/datasets', async (request, reply) => {
    const list = await workspaceList(app.db, request.actor);
    return reply.page('admin/dataset-list', {
      title: request.t('backoffice.nav_datasets'),
      canCreate: list.canCreate,
      showAgency: list.allAgencies,
      datasets: list.rows.map((row) => presentWorkspaceRow(row, request.t)),
    });
  });

  app.get<{ Querystring: { entry?: string } }>('/admin/datasets/new', async (request, reply) => {
    // Picked from the agency's catalogue entries: the form starts with the entry's columns.
    const entryId = request.query.entry ? requireUuid(request.query.entry, 'catalogue.entry_not_found') : undefined;
    return renderForm(reply, { values: await newDatasetForm(app.db, request.actor, entryId) });
  });

  app.post('/admin/datasets', async (request, reply) => {
    // Refused before the form is read: someone who may not create datasets never sees the form's choices.
    authorizeDataset(request.actor, 'create');
    const parsed = parseForm(datasetForm, request.body);
    if (!parsed.ok) return renderForm(reply.code(422), { values: keptValues(request.body), errors: parsed.errors });
    try {
      const { dataset } = await createDraft(app.db, request.actor, parsed.data);
      return reply.flash('datasets.draft_created').redirect(`/admin/datasets/${dataset.id}`);
    } catch (error) {
      return renderForm(reply.code(422), { values: keptValues(request.body), errors: formErrorsFrom(error) });
    }
  });

  app.get<{ Params: { id: string } }>('/admin/datasets/:id', async (request, reply) => {
    // A refused upload came back through the flash: shown next to the file field (or the form), once.
    const refusal = request.flashMessage?.kind === 'error' ? request.flashMessage : null;
    if (refusal) request.flashMessage = null;
    const errors: FieldErrors = refusal ? { [refusal.key.startsWith('uploads.') ? 'file' : '_form']: { key: refusal.key, params: refusal.params } } : {};
    return renderWorkspace(reply, requireUuid(request.params.id, 'errors.dataset_not_found'), errors);
  });

  app.get<{ Params: { id: string } }>('/admin/datasets/:id/edit', async (request, reply) => {
    const { dataset, shown } = await editFormOf(app.db, request.actor, requireUuid(request.params.id, 'errors.dataset_not_found'));
    return renderForm(reply, { values: revisionFormValues(shown, dataset.slug), datasetId: dataset.id, slugFixed: Boolean(dataset.firstPublishedAt) });
  });

  app.post<{ Params: { id: string } }>('/admin/datasets/:id', async (request, reply) => {
    const id = requireUuid(request.params.id, 'errors.dataset_not_found');
    const parsed = parseForm(datasetForm, request.body);
    if (!parsed.ok) return renderForm(reply.code(422), { values: keptValues(request.body), errors: parsed.errors, datasetId: id });
    try {
      await editDraft(app.db, request.actor, id, parsed.data);
      return reply.flash('datasets.draft_saved').redirect(`/admin/datasets/${id}`);
    } catch (error) {
      return renderForm(reply.code(error instanceof AppError ? error.statusCode : 422), { values: keptValues(request.body), errors: formErrorsFrom(error), datasetId: id });
    }
  });

  // Multipart: fields before the file (name, description, replace) arrive first; the file is streamed.
  // Post/redirect/get, also after a refusal: a reload must not send the file again. The refusal
  // travels in the flash and is shown next to the file field. The CSRF token is the form's first
  // field, checked once read: never in the URL (issue 10, finding 11).
  const refuseUpload = (reply: FastifyReply, id: string, errors: FieldErrors) => {
    const [[field, message]] = Object.entries(errors);
    const { key, params = {} } = typeof message === 'string' ? { key: message } : message;
    const kept = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, String(value)]));
    return reply.flash(key, kept, 'error').redirect(`/admin/datasets/${id}${field === 'file' ? '#field-file' : ''}`, 303);
  };

  app.post<{ Params: { id: string } }>('/admin/datasets/:id/resources', { config: { csrfInMultipartField: true } }, async (request, reply) => {
    const id = requireUuid(request.params.id, 'errors.dataset_not_found');
    if (!request.isMultipart()) return refuseUpload(reply, id, { file: 'uploads.choose_file' });
    const part = await request.file();
    const field = (name: string) => {
      const value = part?.fields[name];
      return value && !Array.isArray(value) && value.type === 'field' ? String(value.value) : undefined;
    };
    await reply.verifyMultipartCsrf(field('_csrf'));
    try {
      if (!part?.filename) return refuseUpload(reply, id, { file: 'uploads.choose_file' });
      const replaceResourceId = field('replaceResourceId') ? requireUuid(field('replaceResourceId')) : undefined;
      await addUploadedFile(
        app.db,
        app.storage,
        request.actor,
        id,
        { fileName: part.filename, stream: part.file, name: field('name'), description: field('description'), replaceResourceId },
        { ...uploadOptions, tableLimits: { maxColumns: (await app.settings.site()).maxTableColumns }, signal: clientGone(reply.raw) },
      );
    } catch (error) {
      return refuseUpload(reply, id, formErrorsFrom(error));
    }
    return reply.flash('uploads.uploaded').redirect(`/admin/datasets/${id}`);
  });

  app.post<{ Params: { id: string } }>('/admin/datasets/:id/links', async (request, reply) => {
    const id = requireUuid(request.params.id, 'errors.dataset_not_found');
    const parsed = parseForm(linkForm, request.body);
    const prefixed = (errors: FieldErrors) => Object.fromEntries(Object.entries(errors).map(([key, value]) => [`link_${key}`, value]));
    if (!parsed.ok) return renderWorkspace(reply.code(422), id, prefixed(parsed.errors), keptValues(request.body));
    try {
      await addLink(app.db, request.actor, id, parsed.data);
    } catch (error) {
      return renderWorkspace(reply.code(422), id, prefixed(formErrorsFrom(error)), keptValues(request.body));
    }
    return reply.flash('uploads.link_added').redirect(`/admin/datasets/${id}`);
  });

  app.post<{ Params: { id: string; resourceId: string } }>('/admin/datasets/:id/resources/:resourceId/delete', async (request, reply) => {
    const id = requireUuid(request.params.id, 'errors.dataset_not_found');
    const resourceId = requireUuid(request.params.resourceId, 'errors.resource_not_found');
    if (!isConfirmed(request.body)) {
      const { resources } = await getWorkspace(app.db, request.actor, id);
      const resource = resources.find((item) => item.id === resourceId);
      if (!resource) throw notFound('errors.resource_not_found');
      return askToConfirm(reply, {
        question: request.t('ui.confirm_remove_file', { name: resource.name }),
        consequence: request.t('ui.confirm_remove_file_consequence'),
        confirmLabel: request.t('uploads.remove'),
        action: request.url,
        cancelUrl: `/admin/datasets/${id}`,
      });
    }
    await removeResource(app.db, app.storage, request.actor, id, resourceId);
    return reply.flash('uploads.removed').redirect(`/admin/datasets/${id}`);
  });

  // The whole stored file of a draft (or any revision), for the leader who must check it before approving.
  app.get<{ Params: { id: string; resourceId: string } }>('/admin/datasets/:id/resources/:resourceId/file', async (request, reply) => {
    const id = requireUuid(request.params.id, 'errors.dataset_not_found');
    const { resource, file } = await draftFileOf(app.db, app.storage, request.actor, id, requireUuid(request.params.resourceId, 'errors.resource_not_found'));
    return reply
      .type(resource.mediaType)
      .header('content-length', file.sizeBytes)
      .header('content-disposition', attachmentDisposition(resource.fileName ?? `${resource.id}.${resource.format.toLowerCase()}`))
      .header('cache-control', 'private, no-store')
      .send(file.stream);
  });

  app.post<{ Params: { id: string } }>('/admin/datasets/:id/submit', async (request, reply) => {
    const id = requireUuid(request.params.id, 'errors.dataset_not_found');
    try {
      await submitForReview(app.db, request.actor, id, { baseUrl: baseUrlOf(app, request) });
    } catch (error) {
      return renderWorkspace(reply.code(error instanceof AppError ? error.statusCode : 422), id, formErrorsFrom(error));
    }
    return reply.flash('reviews.submitted').redirect(`/admin/datasets/${id}`);
  });

  app.post<{ Params: { id: string } }>('/admin/datasets/:id/discard', async (request, reply) => {
    const id = requireUuid(request.params.id, 'errors.dataset_not_found');
    if (!isConfirmed(request.body)) {
      const { shown } = await getWorkspace(app.db, request.actor, id);
      return askToConfirm(reply, {
        question: request.t('ui.confirm_discard', { title: shown.title }),
        consequence: request.t('ui.confirm_discard_consequence'),
        confirmLabel: request.t('datasets.discard'),
        action: request.url,
        cancelUrl: `/admin/datasets/${id}`,
      });
    }
    const { datasetDeleted } = await discardDraft(app.db, app.storage, request.actor, id);
    return reply.flash('datasets.draft_discarded').redirect(datasetDeleted ? '/admin/datasets' : `/admin/datasets/${id}`);
  });
}
