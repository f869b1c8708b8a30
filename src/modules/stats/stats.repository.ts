import { eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { datasetDailyStats, datasetViews, resourceDownloads } from './stats.table.ts';

/** Downloads counted in memory since the last flush, per resource lineage. */
export type PendingDownloads = Array<{ lineageId: string; revisionId: string; count: number }>;
export type PendingViews = Array<{ datasetId: string; count: number }>;

/**
 * Adds a batch of downloads in one statement. The dataset of each lineage is found from the
 * revision the file belonged to, so a download costs no query of its own.
 */
export async function addDownloads(db: Queryable, pending: PendingDownloads): Promise<void> {
  if (pending.length === 0) return;
  const values = sql.join(
    pending.map((row) => sql`(${row.lineageId}::uuid, ${row.revisionId}::uuid, ${row.count}::bigint)`),
    sql`, `,
  );
  await db.execute(sql`
    insert into resource_downloads (lineage_id, dataset_id, downloads, updated_at)
    select batch.lineage_id, dataset_revisions.dataset_id, batch.downloads, now()
    from (values ${values}) as batch (lineage_id, revision_id, downloads)
    join dataset_revisions on dataset_revisions.id = batch.revision_id
    on conflict (lineage_id) do update
      set downloads = resource_downloads.downloads + excluded.downloads, updated_at = excluded.updated_at`);
  // The same downloads on today's row (a day in Vietnam), so reports give a period's figures, not totals.
  await db.execute(sql`
    insert into dataset_daily_stats (dataset_id, day, downloads)
    select dataset_revisions.dataset_id, (now() at time zone 'Asia/Ho_Chi_Minh')::date, sum(batch.downloads)::bigint
    from (values ${values}) as batch (lineage_id, revision_id, downloads)
    join dataset_revisions on dataset_revisions.id = batch.revision_id
    group by dataset_revisions.dataset_id
    on conflict (dataset_id, day) do update set downloads = dataset_daily_stats.downloads + excluded.downloads`);
  // The search index sorts by its own copy of the total ("most downloaded"): keep it current.
  await db.execute(sql`
    update search_documents set downloads = search_documents.downloads + batch.downloads
    from (select dataset_revisions.dataset_id, sum(batch.downloads)::int as downloads
          from (values ${values}) as batch (lineage_id, revision_id, downloads)
          join dataset_revisions on dataset_revisions.id = batch.revision_id
          group by dataset_revisions.dataset_id) as batch
    where search_documents.dataset_id = batch.dataset_id`);
}

/** Adds a batch of dataset page views in one statement. */
export async function addViews(db: Queryable, pending: PendingViews): Promise<void> {
  if (pending.length === 0) return;
  await db
    .insert(datasetViews)
    .values(pending.map((row) => ({ datasetId: row.datasetId, views: row.count })))
    .onConflictDoUpdate({
      target: datasetViews.datasetId,
      set: { views: sql`${datasetViews.views} + excluded.views`, updatedAt: sql`now()` },
    });
  await db
    .insert(datasetDailyStats)
    .values(pending.map((row) => ({ datasetId: row.datasetId, day: sql`(now() at time zone 'Asia/Ho_Chi_Minh')::date`, views: row.count })))
    .onConflictDoUpdate({ target: [datasetDailyStats.datasetId, datasetDailyStats.day], set: { views: sql`${datasetDailyStats.views} + excluded.views` } });
}

/** Downloads of each resource lineage (a file keeps its count across revisions); absent → 0. */
export async function downloadsByLineage(db: Queryable, lineageIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(lineageIds.map((id) => [id, 0]));
  if (lineageIds.length === 0) return counts;
  const rows = await db
    .select({ lineageId: resourceDownloads.lineageId, downloads: resourceDownloads.downloads })
    .from(resourceDownloads)
    .where(inArray(resourceDownloads.lineageId, [...new Set(lineageIds)]));
  for (const row of rows) counts.set(row.lineageId, Number(row.downloads));
  return counts;
}

/** Total downloads of each dataset (all its files, all revisions); absent → 0. */
export async function downloadsByDataset(db: Queryable, datasetIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(datasetIds.map((id) => [id, 0]));
  if (datasetIds.length === 0) return counts;
  const total = sql<string>`sum(${resourceDownloads.downloads})`;
  const rows = await db
    .select({ datasetId: resourceDownloads.datasetId, total })
    .from(resourceDownloads)
    .where(inArray(resourceDownloads.datasetId, [...new Set(datasetIds)]))
    .groupBy(resourceDownloads.datasetId);
  for (const row of rows) counts.set(row.datasetId, Number(row.total));
  return counts;
}

/** Page views of a dataset; 0 when never counted. */
export async function viewsOf(db: Queryable, datasetId: string): Promise<number> {
  const [row] = await db.select({ views: datasetViews.views }).from(datasetViews).where(eq(datasetViews.datasetId, datasetId)).limit(1);
  return Number(row?.views ?? 0);
}
