import type { Queryable } from '../../db/client.ts';
import { listAgenciesWithCounts, shareOfPublishing } from '../agencies/agencies.service.ts';
import { listPublishedByIds } from '../datasets/datasets.repository.ts';
import { browsePublished } from '../datasets/datasets.service.ts';
import { mostDownloadedDatasets } from '../stats/stats.repository.ts';
import { listTopicsWithCounts } from '../topics/topics.service.ts';

/** Everything the home page shows, in one round of parallel queries. */
export async function homePageData(db: Queryable) {
  const [topics, agencies, latest, popular] = await Promise.all([
    listTopicsWithCounts(db),
    listAgenciesWithCounts(db),
    browsePublished(db, {}, { page: 1, pageSize: 6, offset: 0 }, 'latest'),
    mostDownloadedDatasets(db, 6),
  ]);
  const mostDownloaded = await listPublishedByIds(db, popular.map((row) => row.datasetId));
  const downloads = new Map(popular.map((row) => [row.datasetId, row.downloads]));
  return {
    topics,
    agencies,
    latest: latest.items,
    mostDownloaded: mostDownloaded.map((row) => ({ row, downloads: downloads.get(row.dataset.id) ?? 0 })),
    datasetCount: latest.total,
    share: shareOfPublishing(agencies),
  };
}
