import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { askToConfirm, isConfirmed } from '../../lib/confirm.ts';
import { attachmentDisposition } from '../../lib/content-disposition.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { type FieldErrors, formErrorsFrom, keptValues, parseForm } from '../../lib/forms.ts';
import { requireUuid } from '../../lib/ids.ts';
import { authorize } from '../accounts/permissions.ts';
import { listWorkspaceDatasets } from './revisions.repository.ts';
import { clientGone } from '../previews/file-jobs.ts';
import { addLink, addUploadedFile, removeResource } from '../resources/uploads.service.ts';
import { listTopics } from '../topics/topics.repository.ts';
import { presentResourceForReview, revisionFormValues, stateLabel } from './datasets.admin.presenter.ts';
import { datasetAbilities } from './datasets.policy.ts';
import { prefillFromEntry } from '../catalogue/catalogue.service.ts';
import { datasetForm, linkForm } from './datasets.schemas.ts';
import { updateFrequencies } from './datasets.table.ts';
import { createDraft, discardDraft, draftFileOf, editDraft, getWorkspace } from './drafts.service.ts';
import { notifyReviewStep } from '../reviews/review-notifications.ts';
import { submitForReview } from '../reviews/reviews.service.ts';
import { baseUrlOf } from '../../lib/base-url.ts';

/** Officers prepare their agency's datasets through these forms (782 Art. 8.2). */
export default async function datasetAdminRoutes(app: FastifyInstance) {
  const stagingDir = path.join(app.config.dataDir, 'tmp', 'uploads');
  const uploadOptions = { maxBytes: app.config.UPLOAD_MAX_MB * 1024 * 1024, stagingDir };

  async function formOptions(request: FastifyRequest) {
    const topics = await listTopics(app.db);
    return {
      topicOptions: [
        { value: '', label: request.t('datasets.choose_topic') },
        ...topics.map((topic) => ({ value: topic.id, label: request.locale === 'en' ? topic.nameEn : topic.nameVi })),
      ],
      frequencyOptions: updateFrequencies.map((value) => ({ value, label: request.t(`frequency.${value}`) })),
    };
  }

  async function renderForm(reply: FastifyReply, input: { values: Record<string, unknown>; errors?: FieldErrors; datasetId?: string; slugFixed?: boolean }) {
    const request = reply.request;
    return reply.page('admin/dataset-form', {
      title: input.datasetId ? request.t('datasets.edit_title') : request.t('datasets.new_title'),
      values: input.values,
      errors: input.errors ?? {},
      action: input.datasetId ? `/admin/datasets/${input.datasetId}` : '/admin/datasets',
      cancelUrl: input.datasetId ? `/admin/datasets/${input.datasetId}` : '/admin/datasets',
      slugFixed: input.slugFixed ?? false,
      ...(await formOptions(request)),
    });
  }

  async function renderWorkspace(reply: FastifyReply, datasetId: string, errors: FieldErrors = {}, linkValues: Record<string, string> = {}) {
    const request = reply.request;
    const workspace = await getWorkspace(app.db, request.actor, datasetId);
    const { dataset, open, current, shown } = workspace;
    return reply.page('admin/dataset-workspace', {
      title: shown.title,
      dataset: { id: dataset.id, slug: dataset.slug, publicUrl: current ? `/dataset/${dataset.slug}` : null, withdrawnReason: dataset.withdrawnReason },
      revision: { ...shown, stateLabel: stateLabel(shown.state, request.t), isOpen: open !== null },
      current: current ? { number: current.number, publishedAt: current.publishedAt } : null,
      resources: workspace.resources.map((resource) => presentResourceForReview(resource, request.t, dataset.id)),
      returnNote: workspace.returnNote,
      can: datasetAbilities(request.actor, dataset, open),
      uploadAction: `/admin/datasets/${dataset.id}/resources`,
      maxUploadMb: app.config.UPLOAD_MAX_MB,
      errors,
      linkValues,
    });
  }

  app.get('/admin/datasets', async (request, reply) => {
    authorize(request.actor, 'dataset.read');
    const rows = await listWorkspaceDatasets(app.db, request.actor.role === 'admin' ? null : request.actor.agencyId);
    return reply.page('admin/dataset-list', {
      title: request.t('backoffice.nav_datasets'),
      canCreate: request.actor.role === 'officer',
      showAgency: request.actor.role === 'admin',
      datasets: rows.map((row) => ({
        ...row,
        publicState: row.publishedRevisionId ? request.t('reviews.public_online') : row.withdrawnAt ? request.t('reviews.state_withdrawn') : request.t('reviews.public_never'),
        openStateLabel: stateLabel(row.openState as never, request.t),
        openState: row.openState,
      })),
    });
  });

  app.get<{ Querystring: { entry?: string } }>('/admin/datasets/new', async (request, reply) => {
    authorize(request.actor, 'dataset.create');
    // Picked from the agency's catalogue entries: the form starts with the entry's columns.
    if (request.query.entry) return renderForm(reply, { values: await prefillFromEntry(app.db, request.actor, requireUuid(request.query.entry, 'catalogue.entry_not_found')) });
    return renderForm(reply, { values: { updateFrequency: 'yearly' } });
  });

  app.post('/admin/datasets', async (request, reply) => {
    authorize(request.actor, 'dataset.create');
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
    const { dataset, shown } = await getWorkspace(app.db, request.actor, requireUuid(request.params.id, 'errors.dataset_not_found'));
    authorize(request.actor, 'dataset.edit', dataset);
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
      const { dataset, revision } = await submitForReview(app.db, request.actor, id);
      await notifyReviewStep(app.db, app.mailer, 'submitted', dataset, revision, baseUrlOf(app, request));
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
