import type { Queryable } from '../../db/client.ts';
import {
  countPublished,
  listMostDownloadedPublished,
  listPublishedIdsOfAgencyByTitle,
  type PublishedCounts,
  type PublishedDatasetRow,
  type PublishedFilter,
  readCatalogueStamp,
} from './datasets.repository.ts';

/**
 * What public pages summarise over the whole catalogue — published datasets per topic group and
 * agency, the total, the most downloaded, the title order of an agency's datasets — each takes a
 * pass over many datasets (the counts about 120 ms at 100k on PGlite). They are kept between
 * requests for as long as the catalogue has not changed: each request first reads when datasets and
 * download counters last changed (two index probes) and recomputes only when that moved. Requests
 * arriving during a recomputation share it.
 *
 * Kept per database handle (each app, each test has its own), so no module state leaks between them.
 * A change that does not stamp datasets.updated_at (SQL typed by hand, a transaction that commits an
 * older timestamp after a newer one) shows after `maxAgeMs` at the latest.
 */
const maxAgeMs = 60_000;

interface Remembered {
  stamp: string;
  at: number;
  value: Promise<unknown>;
}

const memory = new WeakMap<Queryable, Map<string, Remembered>>();

function remember<T>(db: Queryable, key: string, stamp: string, compute: () => Promise<T>): Promise<T> {
  const entries = memory.get(db) ?? new Map<string, Remembered>();
  memory.set(db, entries);
  const known = entries.get(key);
  if (known && known.stamp === stamp && Date.now() - known.at < maxAgeMs) return known.value as Promise<T>;
  const entry: Remembered = { stamp, at: Date.now(), value: compute() };
  entries.set(key, entry);
  // A failed count is not kept: the next request tries again.
  entry.value.catch(() => {
    if (entries.get(key) === entry) entries.delete(key);
  });
  return entry.value as Promise<T>;
}

export type CatalogueStamp = Awaited<ReturnType<typeof readCatalogueStamp>>;
export { readCatalogueStamp };

/** Published datasets per topic group, per agency and in all; pass a stamp already read to spare the probe. */
export async function publishedCounts(db: Queryable, stamp?: CatalogueStamp): Promise<PublishedCounts> {
  const { catalogue } = stamp ?? (await readCatalogueStamp(db));
  return remember(db, 'counts', catalogue, () => countPublished(db));
}

/** How many published datasets a filter of listPublished matches. */
export function totalOf(counts: PublishedCounts, filter: PublishedFilter): number {
  if (filter.topicId && filter.agencyId) {
    return counts.byTopicAndAgency.find((row) => row.topicId === filter.topicId && row.agencyId === filter.agencyId)?.total ?? 0;
  }
  if (filter.topicId) return counts.byTopic.get(filter.topicId) ?? 0;
  if (filter.agencyId) return counts.byAgency.get(filter.agencyId) ?? 0;
  return counts.total;
}

/** The public datasets downloaded most; recounted after a publication, a withdrawal or a flush of the counters. */
export async function mostDownloaded(db: Queryable, limit: number, stamp?: CatalogueStamp): Promise<Array<{ row: PublishedDatasetRow; downloads: number }>> {
  const { catalogue, downloads } = stamp ?? (await readCatalogueStamp(db));
  return remember(db, `most-downloaded:${limit}`, `${catalogue}|${downloads}`, () => listMostDownloadedPublished(db, limit));
}

/**
 * The ids of an agency's published datasets by title. No index can give this order (titles are on
 * revisions, agencies on datasets), so a large agency's page would sort all of its datasets (11k at
 * 100k) on every view; kept, any page of it is a slice.
 */
export async function agencyTitleOrder(db: Queryable, agencyId: string, stamp?: CatalogueStamp): Promise<string[]> {
  const { catalogue } = stamp ?? (await readCatalogueStamp(db));
  return remember(db, `agency-titles:${agencyId}`, catalogue, () => listPublishedIdsOfAgencyByTitle(db, agencyId));
}
