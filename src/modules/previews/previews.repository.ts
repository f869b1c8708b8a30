import { and, eq, inArray, min } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { datasetRevisions } from '../datasets/datasets.table.ts';
import { resources } from '../resources/resources.table.ts';

/**
 * When this file was published: the first approved revision that carried the same stored file in
 * the same lineage. A new revision copies its resource rows, so a row's own date would move on
 * every unrelated edit of the dataset.
 */
export async function filePublishedAt(
  db: Queryable,
  resource: { lineageId: string; storageKey: string | null; revisionId: string },
): Promise<Date | null> {
  const sameFile = resource.storageKey
    ? and(eq(resources.lineageId, resource.lineageId), eq(resources.storageKey, resource.storageKey))
    : eq(resources.revisionId, resource.revisionId);
  const [row] = await db
    .select({ publishedAt: min(datasetRevisions.publishedAt) })
    .from(resources)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, resources.revisionId))
    .where(and(sameFile, inArray(datasetRevisions.state, ['published', 'superseded'])));
  return row?.publishedAt ?? null;
}
