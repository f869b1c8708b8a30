import type { Queryable } from '../../db/client.ts';
import { listAgenciesWithCounts, shareOfPublishing } from '../agencies/agencies.service.ts';
import { countPublished, listLatestPublished, listMostDownloadedPublished } from '../datasets/datasets.repository.ts';
import { listTopicsWithCounts } from '../topics/topics.service.ts';

/**
 * Everything the home page shows, in five queries that need nothing from each other: the counts per
 * topic group and agency come from one pass over the catalogue and also give the total, and the two
 * short lists read only the rows they show.
 */
export async function homePageData(db: Queryable) {
  const counts = countPublished(db);
  const [topics, agencies, latest, mostDownloaded, { total }] = await Promise.all([
    listTopicsWithCounts(db, counts.then((all) => all.byTopic)),
    listAgenciesWithCounts(db, counts.then((all) => all.byAgency)),
    listLatestPublished(db, 6),
    listMostDownloadedPublished(db, 6),
    counts,
  ]);
  return { topics, agencies, latest, mostDownloaded, datasetCount: total, share: shareOfPublishing(agencies) };
}
