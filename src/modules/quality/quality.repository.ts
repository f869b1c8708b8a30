import { and, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { catalogueEntries } from '../catalogue/catalogue.table.ts';
import { type DatasetRevision, datasetRevisions, datasets } from '../datasets/datasets.table.ts';
import { resources } from '../resources/resources.table.ts';
import { resourceLinkChecks } from './quality.table.ts';

export interface DatasetForQuality {
  id: string;
  slug: string;
  agencyId: string;
  agencyName: string;
  firstPublishedAt: Date | null;
  publishedRevisionId: string | null;
}

/** Datasets of one agency (or every agency), for the quality list. */
export async function listDatasetsForQuality(db: Queryable, agencyId: string | undefined): Promise<DatasetForQuality[]> {
  const query = db
    .select({ id: datasets.id, slug: datasets.slug, agencyId: datasets.agencyId, agencyName: agencies.name, firstPublishedAt: datasets.firstPublishedAt, publishedRevisionId: datasets.publishedRevisionId })
    .from(datasets)
    .innerJoin(agencies, eq(agencies.id, datasets.agencyId));
  return (agencyId ? query.where(eq(datasets.agencyId, agencyId)) : query).orderBy(agencies.name, datasets.slug);
}

export async function findDatasetForQuality(db: Queryable, id: string): Promise<DatasetForQuality | undefined> {
  const [row] = await db
    .select({ id: datasets.id, slug: datasets.slug, agencyId: datasets.agencyId, agencyName: agencies.name, firstPublishedAt: datasets.firstPublishedAt, publishedRevisionId: datasets.publishedRevisionId })
    .from(datasets)
    .innerJoin(agencies, eq(agencies.id, datasets.agencyId))
    .where(eq(datasets.id, id))
    .limit(1);
  return row;
}

/** The newest revision of each dataset: what its officer is working on. */
export async function latestRevisions(db: Queryable, datasetIds: string[]): Promise<Map<string, DatasetRevision>> {
  if (datasetIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([datasetRevisions.datasetId])
    .from(datasetRevisions)
    .where(inArray(datasetRevisions.datasetId, datasetIds))
    .orderBy(datasetRevisions.datasetId, desc(datasetRevisions.number));
  return new Map(rows.map((row) => [row.datasetId, row]));
}

export async function revisionsById(db: Queryable, ids: string[]): Promise<Map<string, DatasetRevision>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(datasetRevisions).where(inArray(datasetRevisions.id, ids));
  return new Map(rows.map((row) => [row.id, row]));
}

/** Resources of the given revisions with the last check of their link. */
export async function resourcesWithChecks(db: Queryable, revisionIds: string[]) {
  if (revisionIds.length === 0) return [];
  return db
    .select({
      id: resources.id,
      revisionId: resources.revisionId,
      name: resources.name,
      format: resources.format,
      description: resources.description,
      url: resources.url,
      storageKey: resources.storageKey,
      checkOk: resourceLinkChecks.ok,
      checkStatus: resourceLinkChecks.status,
      checkUrl: resourceLinkChecks.url,
    })
    .from(resources)
    .leftJoin(resourceLinkChecks, eq(resourceLinkChecks.lineageId, resources.lineageId))
    .where(inArray(resources.revisionId, revisionIds))
    .orderBy(resources.position);
}

/** The frequency each dataset's catalogue entry sets (the newest entry linking it). */
export async function entryFrequencies(db: Queryable, datasetIds: string[]): Promise<Map<string, string | null>> {
  if (datasetIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([catalogueEntries.datasetId], { datasetId: catalogueEntries.datasetId, frequency: catalogueEntries.frequency })
    .from(catalogueEntries)
    .where(and(inArray(catalogueEntries.datasetId, datasetIds), isNotNull(catalogueEntries.frequency)))
    .orderBy(catalogueEntries.datasetId, desc(catalogueEntries.createdAt));
  return new Map(rows.map((row) => [row.datasetId as string, row.frequency]));
}

/** Links the public sees (resources of published revisions of datasets online), one per lineage. */
export async function publishedLinks(db: Queryable): Promise<Array<{ lineageId: string; url: string }>> {
  const rows = await db
    .selectDistinctOn([resources.lineageId], { lineageId: resources.lineageId, url: resources.url })
    .from(resources)
    .innerJoin(datasets, eq(datasets.publishedRevisionId, resources.revisionId))
    .where(and(isNotNull(resources.url), isNull(resources.storageKey), isNull(datasets.withdrawnAt)));
  return rows.flatMap((row) => (row.url ? [{ lineageId: row.lineageId, url: row.url }] : []));
}

export async function saveLinkCheck(db: Queryable, check: { lineageId: string; url: string; ok: boolean; status: number | null }): Promise<void> {
  await db
    .insert(resourceLinkChecks)
    .values({ ...check, checkedAt: new Date() })
    .onConflictDoUpdate({ target: resourceLinkChecks.lineageId, set: { url: check.url, ok: check.ok, status: check.status, checkedAt: sql`now()` } });
}
