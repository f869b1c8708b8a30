import { and, eq } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import type { FileStorage } from '../../storage/file-storage.ts';
import { type Actor, authorize } from '../accounts/permissions.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { loadDataset, openRevisionForEdit, startRevision } from '../datasets/drafts.service.ts';
import { datasetRevisions } from '../datasets/datasets.table.ts';
import { removeResource } from '../resources/uploads.service.ts';
import { type Resource, resources } from '../resources/resources.table.ts';

/**
 * What the Action API may change beyond what the back office forms already offer: a resource's
 * name, description, format or link, addressed by its API id (the lineage). Like every edit, it lands
 * in the dataset's revision in the works, never in the public one.
 */

async function findInRevisionByLineage(db: Queryable, revisionId: string, lineageId: string): Promise<Resource | undefined> {
  const [row] = await db
    .select()
    .from(resources)
    .where(and(eq(resources.revisionId, revisionId), eq(resources.lineageId, lineageId)))
    .limit(1);
  return row;
}

export interface ResourceChanges {
  name?: string;
  description?: string;
  format?: string;
  /** Only for a link: an uploaded file is replaced by uploading another. */
  url?: string;
}

export async function editResourceFields(db: Database, actor: Actor | null, datasetId: string, lineageId: string, changes: ResourceChanges): Promise<Resource> {
  return db.transaction(async (tx) => {
    const dataset = await loadDataset(tx, datasetId, { forUpdate: true });
    authorize(actor, 'dataset.edit', dataset);
    const revision = await openRevisionForEdit(tx, actor, dataset);
    const resource = await findInRevisionByLineage(tx, revision.id, lineageId);
    if (!resource) throw notFound('errors.resource_not_found');
    const values: Partial<Resource> = {};
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.description !== undefined) values.description = changes.description;
    if (changes.format !== undefined) values.format = changes.format;
    if (changes.url !== undefined && !resource.storageKey) values.url = changes.url;
    const [updated] = Object.keys(values).length > 0 ? await tx.update(resources).set(values).where(eq(resources.id, resource.id)).returning() : [resource];
    await tx.update(datasetRevisions).set({ updatedAt: new Date() }).where(eq(datasetRevisions.id, revision.id));
    await recordAudit(tx, actor, {
      action: 'resource.edit',
      objectType: 'dataset',
      objectId: dataset.id,
      objectLabel: updated.name,
      details: { revision: revision.number, fields: Object.keys(values) },
    });
    return updated;
  });
}

/** Removes a resource from the revision in the works (started from the public one if needed). */
export async function deleteResourceByLineage(db: Database, storage: FileStorage, actor: Actor | null, datasetId: string, lineageId: string): Promise<void> {
  const revision = await startRevision(db, actor, datasetId);
  const resource = await findInRevisionByLineage(db, revision.id, lineageId);
  if (!resource) throw notFound('errors.resource_not_found');
  await removeResource(db, storage, actor, datasetId, resource.id);
}

/** The row of a lineage in a revision, after a write, to answer with its dict. */
export async function findResourceInRevision(db: Queryable, revisionId: string, lineageId: string): Promise<Resource | undefined> {
  return findInRevisionByLineage(db, revisionId, lineageId);
}
