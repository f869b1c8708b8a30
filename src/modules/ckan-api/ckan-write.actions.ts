import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Translate } from '../../i18n/i18n.ts';
import { baseUrlOf } from '../../lib/base-url.ts';
import { isUuid } from '../../lib/ids.ts';
import type { Actor } from '../accounts/permissions.ts';
import { datasetForm, type DatasetInput, linkForm } from '../datasets/datasets.schemas.ts';
import { createDraft, editDraft, getWorkspace } from '../datasets/drafts.service.ts';
import { addLink, addUploadedFile } from '../resources/uploads.service.ts';
import type { Resource } from '../resources/resources.table.ts';
import { listTopics } from '../topics/topics.repository.ts';
import { type CkanActionContext, CkanActionError } from './ckan-actions.ts';
import { requiredString, stringParam } from './ckan-params.ts';
import { findDatasetByIdOrName, findDatasetOfLineage, findPackageAtRevision, listResourcesOfRevisions } from './ckan.repository.ts';
import { packageDict, type PresentContext, resourceDict } from './ckan.presenter.ts';
import { deleteResourceByLineage, editResourceFields, findResourceInRevision } from './ckan-write.service.ts';

/** Our form's field names → CKAN's, so that a validation error names the field the client sent. */
export const ckanFieldNames: Record<string, string> = {
  slug: 'name',
  description: 'notes',
  topicId: 'groups',
  updateFrequency: 'frequency',
  firstPublicationDate: 'first_publication_date',
  licence: 'license_id',
  temporalCoverage: 'temporal_coverage',
  spatialCoverage: 'spatial_coverage',
  contact: 'maintainer',
  file: 'upload',
};

function requireActor(context: CkanActionContext): Actor {
  if (!context.actor) throw new CkanActionError('authorization', context.request.t('ckan.token_required'));
  return context.actor;
}

function extrasOf(params: Record<string, unknown>): Record<string, string> {
  const extras = Array.isArray(params.extras) ? params.extras : [];
  const found: Record<string, string> = {};
  for (const extra of extras) {
    if (extra && typeof extra === 'object' && 'key' in extra && 'value' in extra) found[String(extra.key)] = String(extra.value);
  }
  return found;
}

/** Tags as CKAN sends them: [{name}], a list of strings, or a comma-separated `tag_string`. */
function tagsOf(params: Record<string, unknown>): string | undefined {
  if (Array.isArray(params.tags)) {
    return params.tags.map((tag) => (tag && typeof tag === 'object' && 'name' in tag ? String(tag.name) : String(tag))).join(',');
  }
  return stringParam(params, 'tag_string');
}

/** The topic group: `groups: [{name}]` or `[{id}]`, or an extra named topic. */
async function topicIdOf(app: FastifyInstance, params: Record<string, unknown>, extras: Record<string, string>): Promise<string | undefined> {
  const group = Array.isArray(params.groups) ? params.groups[0] : undefined;
  const key =
    group && typeof group === 'object' ? String((group as Record<string, unknown>).name ?? (group as Record<string, unknown>).id ?? '') : typeof group === 'string' ? group : extras.topic;
  if (!key) return undefined;
  const topic = (await listTopics(app.db)).find((candidate) => candidate.slug === key || candidate.id === key);
  // An unknown group fails validation like a missing one (the form's message names the field).
  return topic?.id ?? 'unknown';
}

function validationFailure(t: Translate, errors: Record<string, string>): CkanActionError {
  const fields = Object.fromEntries(Object.entries(errors).map(([field, key]) => [ckanFieldNames[field] ?? field, [t(key)]]));
  return new CkanActionError('validation', t('ckan.validation_failed'), fields);
}

/** The agency a call names must be the token's own: a token of agency A never writes to agency B. */
function checkOwnerOrg(context: CkanActionContext, actor: Actor, owner: { id: string; slug: string } | null) {
  const named = stringParam(context.params, 'owner_org');
  if (named && owner && named !== owner.id && named !== owner.slug) {
    throw new CkanActionError('authorization', context.request.t('ckan.other_agency'));
  }
  if (named && !owner && named !== actor.agencyId) throw new CkanActionError('authorization', context.request.t('ckan.other_agency'));
}

/** The dataset form's values from a CKAN dict, over `base` (the current values, for a patch). */
async function datasetInputOf(app: FastifyInstance, context: CkanActionContext, base: Record<string, unknown>): Promise<DatasetInput> {
  const { params, request } = context;
  const extras = extrasOf(params);
  const given = (key: string) => params[key] !== undefined;
  const values: Record<string, unknown> = { ...base };
  if (given('title')) values.title = stringParam(params, 'title');
  if (given('name')) values.slug = stringParam(params, 'name');
  if (given('notes')) values.description = stringParam(params, 'notes');
  if (given('license_id')) values.licence = stringParam(params, 'license_id');
  if (given('maintainer')) values.contact = stringParam(params, 'maintainer');
  const tags = tagsOf(params);
  if (tags !== undefined) values.tags = tags;
  const topicId = await topicIdOf(app, params, extras);
  if (topicId) values.topicId = topicId;
  if (extras.frequency) values.updateFrequency = extras.frequency;
  if (extras.first_publication_date) values.firstPublicationDate = extras.first_publication_date;
  if (extras.temporal_coverage) values.temporalCoverage = extras.temporal_coverage;
  if (extras.spatial_coverage) values.spatialCoverage = extras.spatial_coverage;
  values.updateFrequency ??= 'yearly';
  const parsed = datasetForm.safeParse(values);
  if (parsed.success) return parsed.data;
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '__form');
    errors[field] ??= /^[a-z_]+\.[a-z_.]+$/.test(issue.message) ? issue.message : issue.code === 'invalid_type' ? 'ckan.missing_value' : 'validation.invalid';
  }
  throw validationFailure(request.t, errors);
}

function presentContext(app: FastifyInstance, request: FastifyRequest): PresentContext {
  return { baseUrl: baseUrlOf(app, request), defaultLicenceTitle: request.t('ckan.default_licence_title') };
}

async function draftDict(app: FastifyInstance, request: FastifyRequest, revisionId: string) {
  const row = await findPackageAtRevision(app.db, revisionId);
  if (!row) throw new CkanActionError('notFound', request.t('errors.dataset_not_found'));
  const files = await listResourcesOfRevisions(app.db, [revisionId]);
  return packageDict(row, files.get(revisionId) ?? [], presentContext(app, request));
}

async function resourceAnswer(app: FastifyInstance, request: FastifyRequest, resource: Resource) {
  const row = await findPackageAtRevision(app.db, resource.revisionId);
  if (!row) throw new CkanActionError('notFound', request.t('errors.resource_not_found'));
  return resourceDict(row, resource, presentContext(app, request));
}

async function datasetIdOf(app: FastifyInstance, context: CkanActionContext, field: string): Promise<string> {
  const key = requiredString(context.params, field, context.request.t);
  const dataset = await findDatasetByIdOrName(app.db, key);
  if (!dataset) throw new CkanActionError('notFound', context.request.t('errors.dataset_not_found'));
  return dataset.id;
}

/** The revision a writer sees (the one in the works, else the public one) as form values. */
async function currentValues(app: FastifyInstance, actor: Actor, datasetId: string): Promise<Record<string, unknown>> {
  const { dataset, shown } = await getWorkspace(app.db, actor, datasetId);
  return {
    title: shown.title,
    slug: dataset.slug,
    description: shown.description,
    topicId: shown.topicId,
    updateFrequency: shown.updateFrequency,
    firstPublicationDate: shown.firstPublicationDate ?? '',
    notes: shown.notes,
    tags: shown.tags.join(','),
    licence: shown.licence,
    temporalCoverage: shown.temporalCoverage,
    spatialCoverage: shown.spatialCoverage,
    contact: shown.contact,
  };
}

function linkInputOf(context: CkanActionContext, base: { name?: string; description?: string; format?: string; url?: string } = {}) {
  const { params, request } = context;
  const parsed = linkForm.safeParse({
    name: stringParam(params, 'name') ?? base.name,
    url: stringParam(params, 'url') ?? base.url,
    format: stringParam(params, 'format') ?? base.format,
    description: stringParam(params, 'description') ?? base.description,
    isService: ['api', 'service'].includes(stringParam(params, 'resource_type') ?? ''),
    docsUrl: stringParam(params, 'docs_url') ?? '',
    accessConditions: stringParam(params, 'access_conditions') ?? '',
  });
  if (parsed.success) return parsed.data;
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '__form');
    errors[field] ??= /^[a-z_]+\.[a-z_.]+$/.test(issue.message) ? issue.message : 'ckan.missing_value';
  }
  throw validationFailure(request.t, errors);
}

/**
 * The Action API's writes. Each goes through the same service verbs as the back office forms, so a
 * token acts exactly as its owner would: only on their agency, and only into a draft revision that
 * the agency's leader must approve (782/QĐ-UBND Art. 8.3). Nothing here publishes.
 */
export function registerWriteActions(app: FastifyInstance) {
  const uploadOptions = {
    maxBytes: app.config.UPLOAD_MAX_MB * 1024 * 1024,
    stagingDir: path.join(app.config.dataDir, 'tmp', 'uploads'),
  };

  app.registerCkanAction('package_create', {
    write: true,
    handler: async (context) => {
      const actor = requireActor(context);
      checkOwnerOrg(context, actor, null);
      const input = await datasetInputOf(app, context, {});
      // Inline resources are links (files come by resource_create); all are checked before anything is stored.
      const inline = Array.isArray(context.params.resources) ? context.params.resources : [];
      const links = inline.map((resource) => linkInputOf({ ...context, params: (resource ?? {}) as Record<string, unknown> }));
      const { dataset, revision } = await createDraft(app.db, actor, input);
      for (const link of links) await addLink(app.db, actor, dataset.id, link);
      return draftDict(app, context.request, revision.id);
    },
  });

  async function updatePackage(context: CkanActionContext, patch: boolean) {
    const actor = requireActor(context);
    const datasetId = await datasetIdOf(app, context, 'id');
    const base = patch ? await currentValues(app, actor, datasetId) : {};
    const { dataset } = await getWorkspace(app.db, actor, datasetId);
    checkOwnerOrg(context, actor, { id: dataset.agencyId, slug: '' });
    // A full update without a topic keeps the current one: the catalogue requires one.
    if (!patch && !context.params.groups && !extrasOf(context.params).topic) base.topicId = (await currentValues(app, actor, datasetId)).topicId;
    if (!patch && !context.params.name) base.slug = dataset.slug;
    const input = await datasetInputOf(app, context, base);
    const revision = await editDraft(app.db, actor, datasetId, input);
    return draftDict(app, context.request, revision.id);
  }

  app.registerCkanAction('package_update', { write: true, handler: (context) => updatePackage(context, false) });
  app.registerCkanAction('package_patch', { write: true, handler: (context) => updatePackage(context, true) });

  /** A multipart file through the same checks as the upload form, into the draft (replacing a file when named). */
  async function uploadInto(context: CkanActionContext, actor: Actor, datasetId: string, replaceResourceId?: string) {
    const upload = context.upload!;
    const resource = await addUploadedFile(
      app.db,
      app.storage,
      actor,
      datasetId,
      {
        fileName: upload.fileName,
        stream: upload.stream,
        name: stringParam(context.params, 'name'),
        description: stringParam(context.params, 'description'),
        ...(replaceResourceId ? { replaceResourceId } : {}),
      },
      uploadOptions,
    );
    return resourceAnswer(app, context.request, resource);
  }

  app.registerCkanAction('resource_create', {
    write: true,
    handler: async (context) => {
      const actor = requireActor(context);
      const datasetId = await datasetIdOf(app, context, 'package_id');
      if (context.upload) return uploadInto(context, actor, datasetId);
      const resource = await addLink(app.db, actor, datasetId, linkInputOf(context));
      return resourceAnswer(app, context.request, resource);
    },
  });

  async function updateResource(context: CkanActionContext) {
    const actor = requireActor(context);
    const id = requiredString(context.params, 'id', context.request.t);
    const found = isUuid(id) ? await findDatasetOfLineage(app.db, id) : undefined;
    if (!found) throw new CkanActionError('notFound', context.request.t('errors.resource_not_found'));
    const { datasetId } = found;
    if (context.upload) return uploadInto(context, actor, datasetId, found.resourceId);
    const url = stringParam(context.params, 'url');
    if (url !== undefined && !linkForm.shape.url.safeParse(url).success) throw validationFailure(context.request.t, { url: 'validation.url' });
    const updated = await editResourceFields(app.db, actor, datasetId, found.lineageId, {
      name: stringParam(context.params, 'name'),
      description: stringParam(context.params, 'description'),
      format: stringParam(context.params, 'format')?.toUpperCase(),
      url,
    });
    const inRevision = await findResourceInRevision(app.db, updated.revisionId, updated.lineageId);
    return resourceAnswer(app, context.request, inRevision ?? updated);
  }

  app.registerCkanAction('resource_update', { write: true, handler: updateResource });
  app.registerCkanAction('resource_patch', { write: true, handler: updateResource });

  app.registerCkanAction('resource_delete', {
    write: true,
    handler: async (context) => {
      const actor = requireActor(context);
      const id = requiredString(context.params, 'id', context.request.t);
      const found = isUuid(id) ? await findDatasetOfLineage(app.db, id) : undefined;
      if (!found) throw new CkanActionError('notFound', context.request.t('errors.resource_not_found'));
      await deleteResourceByLineage(app.db, app.storage, actor, found.datasetId, found.lineageId);
      return null;
    },
  });
}
