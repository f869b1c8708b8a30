import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { approvedStates, datasetRevisions, datasets } from '../datasets/datasets.table.ts';
import { catalogueEntries } from './catalogue.table.ts';

/** The entries of a catalogue with what deadlines need: frequency, dataset, first publication. */
export async function trackedEntries(db: Queryable, catalogueId: string, agencyId?: string) {
  return db
    .select({
      entryId: catalogueEntries.id,
      number: catalogueEntries.number,
      title: catalogueEntries.title,
      frequency: catalogueEntries.frequency,
      firstPublicationDate: catalogueEntries.firstPublicationDate,
      agencyId: catalogueEntries.agencyId,
      agencyName: agencies.name,
      topicId: catalogueEntries.topicId,
      datasetId: datasets.id,
      datasetSlug: datasets.slug,
      firstPublishedAt: datasets.firstPublishedAt,
      online: sql<boolean>`coalesce(${datasets.publishedRevisionId} is not null and ${datasets.withdrawnAt} is null, false)`,
    })
    .from(catalogueEntries)
    .innerJoin(agencies, eq(agencies.id, catalogueEntries.agencyId))
    .leftJoin(datasets, eq(datasets.id, catalogueEntries.datasetId))
    .where(agencyId ? and(eq(catalogueEntries.catalogueId, catalogueId), eq(catalogueEntries.agencyId, agencyId)) : eq(catalogueEntries.catalogueId, catalogueId))
    .orderBy(asc(catalogueEntries.number));
}

export type TrackedEntry = Awaited<ReturnType<typeof trackedEntries>>[number];

/** When each dataset's revisions went public (the current one and those it superseded). */
export async function publicationTimes(db: Queryable, datasetIds: string[]): Promise<Map<string, Date[]>> {
  const times = new Map<string, Date[]>();
  if (datasetIds.length === 0) return times;
  const rows = await db
    .select({ datasetId: datasetRevisions.datasetId, publishedAt: datasetRevisions.publishedAt })
    .from(datasetRevisions)
    .where(and(inArray(datasetRevisions.datasetId, datasetIds), isNotNull(datasetRevisions.publishedAt), inArray(datasetRevisions.state, approvedStates)));
  for (const row of rows) {
    if (!row.publishedAt) continue;
    const list = times.get(row.datasetId) ?? [];
    list.push(row.publishedAt);
    times.set(row.datasetId, list);
  }
  return times;
}
