import type { Queryable } from '../../db/client.ts';
import { listAgenciesWithCounts, shareOfPublishing } from '../agencies/agencies.service.ts';
import { mostDownloaded, publishedCounts, readCatalogueStamp } from '../datasets/catalogue-summary.ts';
import { listLatestPublished } from '../datasets/datasets.repository.ts';
import { listTopicsWithCounts } from '../topics/topics.service.ts';

/**
 * Everything the home page shows. The catalogue-wide counts and the most downloaded are recounted
 * only when the catalogue or the download counters changed (see catalogue-summary.ts); the newest
 * datasets are six index lookups.
 */
export async function homePageData(db: Queryable) {
  const [stamp, latest] = await Promise.all([readCatalogueStamp(db), listLatestPublished(db, 6)]);
  const counts = publishedCounts(db, stamp);
  const [topics, agencies, popular, { total }] = await Promise.all([
    listTopicsWithCounts(db, counts),
    listAgenciesWithCounts(db, counts),
    mostDownloaded(db, 6, stamp),
    counts,
  ]);
  return { topics, agencies, latest, mostDownloaded: popular, datasetCount: total, share: shareOfPublishing(agencies) };
}
