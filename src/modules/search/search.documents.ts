import { eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { datasetRevisions, datasets } from '../datasets/datasets.table.ts';
import { resources } from '../resources/resources.table.ts';
import { resourceDownloads } from '../stats/stats.table.ts';
import { topics } from '../topics/topics.table.ts';
import type { SearchDocument } from './search.types.ts';

/**
 * The search document of each dataset that is public now, built from the database (the one source
 * of truth). A dataset id without a document is not public and must leave the index.
 */
export async function buildSearchDocuments(db: Queryable, datasetIds: string[]): Promise<Map<string, SearchDocument>> {
  if (datasetIds.length === 0) return new Map();
  const rows = await db
    .select({
      datasetId: datasets.id,
      slug: datasets.slug,
      revisionId: datasetRevisions.id,
      title: datasetRevisions.title,
      description: datasetRevisions.description,
      tags: datasetRevisions.tags,
      licence: datasetRevisions.licence,
      updateFrequency: datasetRevisions.updateFrequency,
      publishedAt: datasetRevisions.publishedAt,
      topicSlug: topics.slug,
      topicName: topics.nameVi,
      agencySlug: agencies.slug,
      agencyName: agencies.name,
    })
    .from(datasets)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, datasets.publishedRevisionId))
    .innerJoin(topics, eq(topics.id, datasetRevisions.topicId))
    .innerJoin(agencies, eq(agencies.id, datasets.agencyId))
    .where(inArray(datasets.id, datasetIds));
  if (rows.length === 0) return new Map();
  const files = await db
    .select({ revisionId: resources.revisionId, name: resources.name, format: resources.format })
    .from(resources)
    .where(inArray(resources.revisionId, rows.map((row) => row.revisionId)));
  const downloads = await db
    .select({ datasetId: resourceDownloads.datasetId, total: sql<number>`sum(${resourceDownloads.downloads})`.mapWith(Number) })
    .from(resourceDownloads)
    .where(inArray(resourceDownloads.datasetId, rows.map((row) => row.datasetId)))
    .groupBy(resourceDownloads.datasetId);
  const downloadsOf = new Map(downloads.map((row) => [row.datasetId, row.total]));
  // Grouped once: filtering every file for every dataset was quadratic in the batch (reindex uses 500).
  const filesOf = new Map<string, typeof files>();
  for (const file of files) filesOf.set(file.revisionId, [...(filesOf.get(file.revisionId) ?? []), file]);
  return new Map(
    rows.map((row) => {
      const own = filesOf.get(row.revisionId) ?? [];
      const document: SearchDocument = {
        datasetId: row.datasetId,
        slug: row.slug,
        title: row.title,
        description: row.description,
        tags: row.tags,
        // Separated by commas: the index pairs adjacent syllables, never across two file names.
        resourceNames: own.map((file) => file.name).join(', '),
        topicSlug: row.topicSlug,
        topicName: row.topicName,
        agencySlug: row.agencySlug,
        agencyName: row.agencyName,
        formats: [...new Set(own.map((file) => file.format.toUpperCase()))].sort(),
        updateFrequency: row.updateFrequency,
        licence: row.licence,
        publishedAt: row.publishedAt ?? new Date(0),
        downloads: downloadsOf.get(row.datasetId) ?? 0,
      };
      return [row.datasetId, document];
    }),
  );
}

export async function listPublicDatasetIds(db: Queryable): Promise<string[]> {
  // In id order, i.e. random (uuids): a reindex then stores documents in no particular order, which lets
  // the PostgreSQL engine read the first matches it finds in the table as a sample of all of them.
  const rows = await db.select({ id: datasets.id }).from(datasets).where(sql`${datasets.publishedRevisionId} is not null`).orderBy(datasets.id);
  return rows.map((row) => row.id);
}
