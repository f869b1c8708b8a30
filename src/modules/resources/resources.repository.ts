import { and, asc, eq, inArray, isNotNull, max, or, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { datasetRevisions, datasets } from '../datasets/datasets.table.ts';
import { type NewResource, type Resource, resources } from './resources.table.ts';

export async function listResourcesOfRevision(db: Queryable, revisionId: string): Promise<Resource[]> {
  return db.select().from(resources).where(eq(resources.revisionId, revisionId)).orderBy(asc(resources.position), asc(resources.name));
}

/**
 * A resource of an approved revision (the current one or an older one in the history) of a dataset
 * that is public now. Drafts, returned and withdrawn revisions are never served.
 */
export async function findPublishedResource(db: Queryable, datasetSlug: string, resourceId: string): Promise<Resource | undefined> {
  const [row] = await db
    .select({ resource: resources })
    .from(resources)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, resources.revisionId))
    .innerJoin(datasets, eq(datasets.id, datasetRevisions.datasetId))
    .where(
      and(
        eq(datasets.slug, datasetSlug),
        eq(resources.id, resourceId),
        isNotNull(datasets.publishedRevisionId),
        inArray(datasetRevisions.state, ['published', 'superseded']),
      ),
    )
    .limit(1);
  return row?.resource;
}

export async function insertResources(db: Queryable, rows: NewResource[]): Promise<Resource[]> {
  if (rows.length === 0) return [];
  return db.insert(resources).values(rows).returning();
}

/** A new revision starts with the previous one's files: same lineage and stored file, new rows. */
export async function copyResources(db: Queryable, fromRevisionId: string, toRevisionId: string): Promise<void> {
  await db.execute(sql`
    insert into resources (lineage_id, revision_id, position, name, description, format, media_type, storage_key, url,
      file_name, size_bytes, sha256, row_count, original_storage_key, original_encoding, original_sha256, inspection, pii_flags, service)
    select lineage_id, ${toRevisionId}, position, name, description, format, media_type, storage_key, url,
      file_name, size_bytes, sha256, row_count, original_storage_key, original_encoding, original_sha256, inspection, pii_flags, service
    from resources where revision_id = ${fromRevisionId}`);
}

/** A resource of any revision of the dataset (drafts included): for back-office readers only. */
export async function findResourceOfDataset(db: Queryable, datasetId: string, resourceId: string): Promise<Resource | undefined> {
  const [row] = await db
    .select({ resource: resources })
    .from(resources)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, resources.revisionId))
    .where(and(eq(resources.id, resourceId), eq(datasetRevisions.datasetId, datasetId)))
    .limit(1);
  return row?.resource;
}

export async function deleteResource(db: Queryable, resourceId: string): Promise<void> {
  await db.delete(resources).where(eq(resources.id, resourceId));
}

export async function nextResourcePosition(db: Queryable, revisionId: string): Promise<number> {
  const [row] = await db.select({ last: max(resources.position) }).from(resources).where(eq(resources.revisionId, revisionId));
  return (row?.last ?? -1) + 1;
}

/** Whether any revision still refers to a stored file, before the file may be deleted. */
export async function isStorageKeyUsed(db: Queryable, key: string): Promise<boolean> {
  const [row] = await db
    .select({ id: resources.id })
    .from(resources)
    .where(or(eq(resources.storageKey, key), eq(resources.originalStorageKey, key)))
    .limit(1);
  return Boolean(row);
}

/**
 * The resource of `revisionId` that continues `resourceId` (the same row, or its copy in a newer
 * revision of the same dataset).
 */
export async function findLineageInRevision(db: Queryable, revisionId: string, datasetId: string, resourceId: string): Promise<Resource | undefined> {
  const [source] = await db
    .select({ lineageId: resources.lineageId })
    .from(resources)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, resources.revisionId))
    .where(and(eq(resources.id, resourceId), eq(datasetRevisions.datasetId, datasetId)))
    .limit(1);
  if (!source) return undefined;
  const [resource] = await db
    .select()
    .from(resources)
    .where(and(eq(resources.revisionId, revisionId), eq(resources.lineageId, source.lineageId)))
    .limit(1);
  return resource;
}
