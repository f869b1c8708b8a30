import { claimEntryForDataset } from '../catalogue/catalogue.service.ts';
import { eq } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { conflict, fieldError, notFound } from '../../lib/errors.ts';
import { slugify } from '../../lib/slug.ts';
import { type Actor, authorize, scopeOf } from '../accounts/permissions.ts';
import { authorizeDataset, datasetAbilities, mayCreateDataset } from './datasets.policy.ts';
import { prefillFromEntry } from '../catalogue/catalogue.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { copyResources, findResourceOfDataset, listResourcesOfRevision } from '../resources/resources.repository.ts';
import { latestReturnOf } from '../reviews/reviews.repository.ts';
import { deleteUnusedFiles } from '../resources/resource-files.ts';
import type { FileStorage } from '../../storage/file-storage.ts';
import { findTopicById, listTopics } from '../topics/topics.repository.ts';
import type { DatasetInput } from './datasets.schemas.ts';
import { type Dataset, type DatasetRevision, datasetRevisions, datasets } from './datasets.table.ts';
import {
  findDatasetById,
  findLatestPublicRevision,
  findOpenRevision,
  findRevisionById,
  freeSlug,
  insertDatasetWithSlug,
  listWorkspaceDatasets,
  nextRevisionNumber,
  updateDataset,
  updateRevision,
} from './revisions.repository.ts';

function revisionValues(input: DatasetInput) {
  const { slug: _slug, catalogueEntryId: _entry, ...values } = input;
  return values;
}

async function requireTopic(db: Queryable, topicId: string) {
  if (!(await findTopicById(db, topicId))) throw fieldError('topicId', 'datasets.topic_required');
}

export async function loadDataset(db: Queryable, datasetId: string, options: { forUpdate?: boolean } = {}): Promise<Dataset> {
  const dataset = await findDatasetById(db, datasetId, options);
  if (!dataset) throw notFound('errors.dataset_not_found');
  return dataset;
}

/** An officer creates a dataset of their own agency; it starts as revision 1 in draft. */
export async function createDraft(db: Database, actor: Actor | null, input: DatasetInput) {
  authorizeDataset(actor, 'create');
  // The create policy refuses an account without an agency.
  const agencyId = actor.agencyId as string;
  return db.transaction(async (tx) => {
    await requireTopic(tx, input.topicId);
    // An address typed by the officer must be free; one derived from the title gets a number if taken.
    const slug = input.slug || (await freeSlug(tx, slugify(input.title) || 'tap-du-lieu'));
    const dataset = await insertDatasetWithSlug(tx, { slug, agencyId });
    const [revision] = await tx
      .insert(datasetRevisions)
      .values({ datasetId: dataset.id, number: 1, state: 'draft', createdBy: actor.id, ...revisionValues(input) })
      .returning();
    // Published against the catalogue: the entry is the agency's own and still free, or nothing is created.
    if (input.catalogueEntryId) await claimEntryForDataset(tx, actor, input.catalogueEntryId, dataset.id);
    await recordAudit(tx, actor, { action: 'dataset.create', objectType: 'dataset', objectId: dataset.id, objectLabel: revision.title });
    return { dataset, revision };
  });
}

/**
 * The revision an officer edits. For a dataset that is (or was) public and has none in the works,
 * a new draft is started from the latest public revision, files included: the public one stays online.
 */
export async function openRevisionForEdit(tx: Queryable, actor: Actor | null, dataset: Dataset): Promise<DatasetRevision> {
  const open = (await findOpenRevision(tx, dataset.id)) ?? null;
  // The edit policy decides on role, agency and the state of the revision in the works (locked while pending).
  authorizeDataset(actor, 'edit', { dataset, open });
  if (open) return open;
  const base = await findLatestPublicRevision(tx, dataset.id);
  if (!base) throw notFound('errors.dataset_not_found');
  const { id: _id, state: _state, number: _number, createdAt: _c, updatedAt: _u, submittedAt: _s, publishedAt: _p, changeSummary: _x, ...copied } = base;
  const [revision] = await tx
    .insert(datasetRevisions)
    .values({ ...copied, number: await nextRevisionNumber(tx, dataset.id), state: 'draft', createdBy: actor.id })
    .returning();
  await copyResources(tx, base.id, revision.id);
  await recordAudit(tx, actor, {
    action: 'dataset.start_revision',
    objectType: 'dataset',
    objectId: dataset.id,
    objectLabel: revision.title,
    details: { revision: revision.number, basedOn: base.number },
  });
  return revision;
}

export async function startRevision(db: Database, actor: Actor | null, datasetId: string): Promise<DatasetRevision> {
  return db.transaction(async (tx) => {
    const dataset = await loadDataset(tx, datasetId, { forUpdate: true });
    return openRevisionForEdit(tx, actor, dataset);
  });
}

export async function editDraft(db: Database, actor: Actor | null, datasetId: string, input: DatasetInput): Promise<DatasetRevision> {
  return db.transaction(async (tx) => {
    const dataset = await loadDataset(tx, datasetId, { forUpdate: true });
    authorizeDataset(actor, 'edit', { dataset, open: null });
    await requireTopic(tx, input.topicId);
    const revision = await openRevisionForEdit(tx, actor, dataset);
    // The address of a dataset is fixed once it has been public: links to it must keep working.
    if (input.slug && input.slug !== dataset.slug) {
      if (dataset.firstPublishedAt) throw fieldError('slug', 'datasets.slug_fixed');
      await updateDataset(tx, dataset.id, { slug: input.slug }).catch((error) => {
        throw isUniqueViolation(error) ? fieldError('slug', 'datasets.slug_taken', 409) : error;
      });
    }
    const updated = await updateRevision(tx, revision.id, revisionValues(input));
    await recordAudit(tx, actor, { action: 'dataset.edit', objectType: 'dataset', objectId: dataset.id, objectLabel: updated.title, details: { revision: updated.number } });
    return updated;
  });
}

/** A draft that was never submitted can be thrown away; a dataset never published goes with it. */
export async function discardDraft(db: Database, storage: FileStorage, actor: Actor | null, datasetId: string): Promise<{ datasetDeleted: boolean }> {
  const { datasetDeleted, keys } = await db.transaction(async (tx) => {
    const dataset = await loadDataset(tx, datasetId, { forUpdate: true });
    const open = await findOpenRevision(tx, dataset.id);
    authorizeDataset(actor, 'discard', { dataset, open: open ?? null });
    if (!open) throw conflict('datasets.nothing_to_discard');
    const everPublic = await findLatestPublicRevision(tx, dataset.id);
    const keys = (await listResourcesOfRevision(tx, open.id)).flatMap((resource) => [resource.storageKey, resource.originalStorageKey]);
    if (everPublic) await tx.delete(datasetRevisions).where(eq(datasetRevisions.id, open.id));
    else await tx.delete(datasets).where(eq(datasets.id, dataset.id));
    await recordAudit(tx, actor, { action: 'dataset.discard_draft', objectType: 'dataset', objectId: dataset.id, objectLabel: open.title, details: { revision: open.number } });
    return { datasetDeleted: !everPublic, keys };
  });
  // Files uploaded to the draft alone go with it; those shared with a public revision stay.
  await deleteUnusedFiles(db, storage, keys);
  return { datasetDeleted };
}

/** Everything the back office shows about one dataset, for someone allowed to read it. */
export async function getWorkspace(db: Queryable, actor: Actor | null, datasetId: string) {
  const dataset = await loadDataset(db, datasetId);
  authorizeDataset(actor, 'read', { dataset, open: null });
  const open = await findOpenRevision(db, dataset.id);
  const current = dataset.publishedRevisionId ? ((await findRevisionById(db, dataset.publishedRevisionId)) ?? null) : null;
  const shown = open ?? current ?? (await findLatestPublicRevision(db, dataset.id)) ?? null;
  if (!shown) throw notFound('errors.dataset_not_found');
  const resources = await listResourcesOfRevision(db, shown.id);
  // Returned: the leader's directions stay in sight until the officer sends the revision again.
  const returned = open?.state === 'returned' ? await latestReturnOf(db, open.id) : undefined;
  const returnNote = returned ? { comment: returned.review.comment, at: returned.review.at, by: returned.actorName ?? '' } : null;
  // What the person may do now, from the same policies the verbs call.
  const can = datasetAbilities(actor, dataset, open ?? null);
  return { dataset, open: open ?? null, current, shown, resources, returnNote, can };
}

/** The edit form of a dataset: refused like the edit itself (a revision waiting for the leader is frozen). */
export async function editFormOf(db: Queryable, actor: Actor | null, datasetId: string) {
  const dataset = await loadDataset(db, datasetId);
  const open = (await findOpenRevision(db, dataset.id)) ?? null;
  authorizeDataset(actor, 'edit', { dataset, open });
  const shown = open ?? (await findLatestPublicRevision(db, dataset.id));
  if (!shown) throw notFound('errors.dataset_not_found');
  return { dataset, shown };
}

/** The back office's list of datasets: the actor's agency, or the whole province (one scope rule). */
export async function workspaceList(db: Queryable, actor: Actor | null) {
  authorize(actor, 'dataset.read');
  const scope = scopeOf(actor);
  const rows = await listWorkspaceDatasets(db, scope.kind === 'province' ? null : scope.agencyId);
  return { rows, allAgencies: scope.kind === 'province', canCreate: mayCreateDataset(actor) };
}

/** What the dataset form offers: the topics, in the portal's order. */
export async function datasetFormChoices(db: Queryable) {
  return { topics: await listTopics(db) };
}

/**
 * The form for a new dataset: empty, or started from one of the agency's catalogue entries (its
 * columns prefilled), for someone who may create one.
 */
export async function newDatasetForm(db: Queryable, actor: Actor | null, entryId?: string) {
  authorizeDataset(actor, 'create');
  return entryId ? prefillFromEntry(db, actor, entryId) : { updateFrequency: 'yearly' as const };
}

/**
 * A stored file of any revision of a dataset, for someone who may read that dataset in the back
 * office: the leader downloads the draft's file in full before approving it, not only its preview.
 */
export async function draftFileOf(db: Queryable, storage: FileStorage, actor: Actor | null, datasetId: string, resourceId: string) {
  const dataset = await loadDataset(db, datasetId);
  authorizeDataset(actor, 'read', { dataset, open: null });
  const resource = await findResourceOfDataset(db, dataset.id, resourceId);
  if (!resource?.storageKey) throw notFound('errors.resource_not_found');
  const file = await storage.open(resource.storageKey);
  if (!file) throw notFound('errors.file_missing');
  return { resource, file };
}

