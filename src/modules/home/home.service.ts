import type { Queryable } from '../../db/client.ts';
import { listAgenciesWithCounts, shareOfPublishing } from '../agencies/agencies.service.ts';
import { browsePublished } from '../datasets/datasets.service.ts';
import { listTopicsWithCounts } from '../topics/topics.service.ts';

/** Everything the home page shows, in one round of parallel queries. */
export async function homePageData(db: Queryable) {
  const [topics, agencies, latest] = await Promise.all([
    listTopicsWithCounts(db),
    listAgenciesWithCounts(db),
    browsePublished(db, {}, { page: 1, pageSize: 6, offset: 0 }, 'latest'),
  ]);
  return {
    topics,
    agencies,
    latest: latest.items,
    datasetCount: latest.total,
    share: shareOfPublishing(agencies),
  };
}
