import { LRUCache } from 'lru-cache';
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

// The stamp is part of the key: a change of the catalogue makes a new entry, and the stale ones age
// out (ttl) or are pushed out (max) without anyone having to clear them.
const memory = new WeakMap<Queryable, LRUCache<string, Promise<unknown>>>();

function remember<T>(db: Queryable, key: string, stamp: string, compute: () => Promise<T>): Promise<T> {
  let entries = memory.get(db);
  if (!entries) {
    entries = new LRUCache<string, Promise<unknown>>({ max: 500, ttl: maxAgeMs });
    memory.set(db, entries);
  }
  const cacheKey = `${key}|${stamp}`;
  const known = entries.get(cacheKey);
  if (known) return known as Promise<T>;
  const value = compute();
  entries.set(cacheKey, value);
  // A failed count is not kept: the next request tries again.
  const kept = entries;
  value.catch(() => {
    if (kept.get(cacheKey) === value) kept.delete(cacheKey);
  });
  return value;
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
