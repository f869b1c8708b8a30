import client from 'prom-client';
import type { Queryable } from '../../db/client.ts';
import { countJobsByState } from '../jobs/failed-jobs.repository.ts';

/**
 * The process's Prometheus metrics, in one registry that any module may add to:
 *
 *   import { counter } from '../operations/metrics.ts';
 *   const rowsLoaded = counter('portal_datastore_rows_total', 'Rows loaded into the DataStore.');
 *   rowsLoaded.inc(rows);
 *
 * Asking twice for the same name returns the same metric, so a module may declare its metrics at
 * import time and tests may build many apps in one process. Metrics are per process: Prometheus
 * scrapes every node and sums (the two-node compose profile names both targets).
 */
export const registry = new client.Registry();
registry.setDefaultLabels({ service: 'portal' });
client.collectDefaultMetrics({ register: registry, prefix: 'portal_' });

function getOrCreate<T>(name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function counter<L extends string = never>(name: string, help: string, labelNames: L[] = []) {
  return getOrCreate(name, () => new client.Counter<L>({ name, help, labelNames, registers: [registry] }));
}

export function gauge<L extends string = never>(name: string, help: string, labelNames: L[] = [], collect?: (this: client.Gauge<L>) => void | Promise<void>) {
  return getOrCreate(name, () => new client.Gauge<L>({ name, help, labelNames, registers: [registry], ...(collect ? { collect } : {}) }));
}

export function histogram<L extends string = never>(name: string, help: string, labelNames: L[] = [], buckets?: number[]) {
  return getOrCreate(name, () => new client.Histogram<L>({ name, help, labelNames, registers: [registry], ...(buckets ? { buckets } : {}) }));
}

/** The metrics the portal's own plumbing keeps (requests, page cache, search). */
export const requestDuration = histogram(
  'portal_http_request_duration_seconds',
  'Time to answer a request, by route pattern (not raw URL: one series per route), method and status class.',
  ['route', 'method', 'status'],
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
);
export const pageCacheLookups = counter('portal_page_cache_lookups_total', 'Anonymous page requests that could be cached, by result (hit or miss).', ['result']);
/** Set when /metrics is read: waiting (created, retry), running (active) and failed jobs per queue. */
export const jobsByState = gauge('portal_jobs', 'Background jobs per queue and state (created and retry: waiting; active; failed: retries used up).', ['queue', 'state']);
/** Set when /metrics is read (PostgreSQL server only): a `checked_out` that stays above 0 on an idle node is a leaked connection. */
export const databasePool = gauge('portal_db_pool_clients', "This node's PostgreSQL pool: connections open, idle, checked out, and requests waiting for one.", ['state']);
export const searchFallbacks = counter('portal_search_fallbacks_total', 'Searches answered by PostgreSQL because the search engine failed.');
export const unhandledRejections = counter('portal_unhandled_rejections_total', 'Promises that failed with nobody awaiting or catching them (a bug; logged at error level, the node keeps serving).');
export const crossNodeInvalidations = counter(
  'portal_cross_node_invalidations_total',
  'Cache invalidations received from another node through PostgreSQL LISTEN/NOTIFY, by cache.',
  ['cache'],
);

// Hits over lookups since start; Prometheus can also compute it from the counter with rate().
gauge('portal_page_cache_hit_ratio', 'Share of cacheable anonymous page requests answered from the page cache since start.', [], async function () {
  const { values } = await pageCacheLookups.get();
  const hits = values.filter((item) => item.labels.result === 'hit').reduce((sum, item) => sum + item.value, 0);
  const total = values.reduce((sum, item) => sum + item.value, 0);
  this.set(total === 0 ? 0 : hits / total);
});

/** Queue depth, read from pg-boss's table at scrape time (the same on every node). */
export async function collectJobCounts(db: Queryable): Promise<void> {
  jobsByState.reset();
  for (const row of await countJobsByState(db)) jobsByState.set({ queue: row.queue, state: row.state }, row.count);
}
