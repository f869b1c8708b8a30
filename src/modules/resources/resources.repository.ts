import { and, asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { datasets } from '../datasets/datasets.table.ts';
import { type NewResource, type Resource, resources } from './resources.table.ts';

export async function listResourcesOfRevision(db: Queryable, revisionId: string): Promise<Resource[]> {
  return db.select().from(resources).where(eq(resources.revisionId, revisionId)).orderBy(asc(resources.position), asc(resources.name));
}

/** A resource of the dataset's published revision; anything else is not public. */
export async function findPublishedResource(db: Queryable, datasetSlug: string, resourceId: string): Promise<Resource | undefined> {
  const [row] = await db
    .select({ resource: resources })
    .from(resources)
    .innerJoin(datasets, eq(datasets.publishedRevisionId, resources.revisionId))
    .where(and(eq(datasets.slug, datasetSlug), eq(resources.id, resourceId)))
    .limit(1);
  return row?.resource;
}

export async function insertResources(db: Queryable, rows: NewResource[]): Promise<Resource[]> {
  if (rows.length === 0) return [];
  return db.insert(resources).values(rows).returning();
}
