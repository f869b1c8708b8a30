import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { datasetRevisions, datasets } from '../datasets/datasets.table.ts';
import { resources, type Resource } from '../resources/resources.table.ts';
import { type DatastoreTable, datastoreTables } from './datastore.table.ts';

/** Formats the datastore loads: tables the upload inspection read row by row. */
export const loadableFormats = ['CSV', 'TSV', 'XLSX'];

export function isLoadable(resource: Pick<Resource, 'format' | 'storageKey' | 'inspection'>): boolean {
  return loadableFormats.includes(resource.format) && Boolean(resource.storageKey) && Boolean(resource.inspection?.columns.length);
}

/** The live table's name for a lineage: fixed, so a swap is a rename readers never notice. */
export const tableNameOf = (lineageId: string) => `r_${lineageId.replace(/-/g, '')}`;

/** The resource of a lineage in its dataset's public revision, with the dataset's agency. */
export async function findPublishedOfLineage(db: Queryable, lineageId: string) {
  const [row] = await db
    .select({ resource: resources, datasetId: datasets.id, datasetSlug: datasets.slug, agencyId: datasets.agencyId })
    .from(resources)
    .innerJoin(datasets, eq(datasets.publishedRevisionId, resources.revisionId))
    .where(eq(resources.lineageId, lineageId))
    .limit(1);
  return row;
}

/** A resource of a public revision (current or superseded) by id, with its dataset. */
export async function findPublicResource(db: Queryable, resourceId: string) {
  const [row] = await db
    .select({ resource: resources, datasetSlug: datasets.slug, datasetId: datasets.id, agencyId: datasets.agencyId, current: sql<boolean>`${datasets.publishedRevisionId} = ${resources.revisionId}` })
    .from(resources)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, resources.revisionId))
    .innerJoin(datasets, eq(datasets.id, datasetRevisions.datasetId))
    .where(and(eq(resources.id, resourceId), isNotNull(datasets.publishedRevisionId), inArray(datasetRevisions.state, ['published', 'superseded'])))
    .limit(1);
  return row;
}

/** Any resource by id with its dataset's agency (the back office sees drafts too). */
export async function findResourceWithDataset(db: Queryable, resourceId: string) {
  const [row] = await db
    .select({ resource: resources, datasetId: datasets.id, agencyId: datasets.agencyId, datasetSlug: datasets.slug })
    .from(resources)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, resources.revisionId))
    .innerJoin(datasets, eq(datasets.id, datasetRevisions.datasetId))
    .where(eq(resources.id, resourceId))
    .limit(1);
  return row;
}

export async function findTable(db: Queryable, lineageId: string, options: { forUpdate?: boolean } = {}): Promise<DatastoreTable | undefined> {
  const query = db.select().from(datastoreTables).where(eq(datastoreTables.lineageId, lineageId));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function findTables(db: Queryable, lineageIds: string[]): Promise<DatastoreTable[]> {
  if (lineageIds.length === 0) return [];
  return db.select().from(datastoreTables).where(inArray(datastoreTables.lineageId, lineageIds));
}

/** Marks a load as wanted (a new row for a new lineage); the live table, if any, is untouched. */
export async function markQueued(db: Queryable, resource: Pick<Resource, 'id' | 'lineageId' | 'rowCount'>): Promise<void> {
  const values = { loadResourceId: resource.id, loadState: 'queued' as const, loadRows: 0, loadTotal: resource.rowCount, loadError: null, loadAttempts: 0, updatedAt: new Date() };
  await db
    .insert(datastoreTables)
    .values({ lineageId: resource.lineageId, tableName: tableNameOf(resource.lineageId), ...values })
    .onConflictDoUpdate({ target: datastoreTables.lineageId, set: values });
}

export async function updateTable(db: Queryable, lineageId: string, values: Partial<Omit<DatastoreTable, 'lineageId'>>): Promise<void> {
  await db.update(datastoreTables).set({ ...values, updatedAt: new Date() }).where(eq(datastoreTables.lineageId, lineageId));
}

/** Published tabular resources whose file is not the one in their live table, nor being loaded. */
export async function listUnloadedPublished(db: Queryable, limit = 500) {
  return db
    .select({ id: resources.id, lineageId: resources.lineageId, rowCount: resources.rowCount })
    .from(resources)
    .innerJoin(datasets, eq(datasets.publishedRevisionId, resources.revisionId))
    .leftJoin(datastoreTables, eq(datastoreTables.lineageId, resources.lineageId))
    .where(
      and(
        inArray(resources.format, loadableFormats),
        isNotNull(resources.storageKey),
        isNotNull(resources.inspection),
        sql`(${datastoreTables.lineageId} is null or (${datastoreTables.sourceSha256} is distinct from ${resources.sha256} and ${datastoreTables.loadResourceId} is distinct from ${resources.id}))`,
      ),
    )
    .limit(limit);
}
