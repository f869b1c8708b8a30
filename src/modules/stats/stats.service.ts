import type { FastifyBaseLogger } from 'fastify';
import type { Queryable } from '../../db/client.ts';
import { isUuid } from '../../lib/ids.ts';
import { addDownloads, addViews } from './stats.repository.ts';

export interface StatsCounter {
  /** One download of a resource (its file or a conversion). Never throws. */
  countDownload(resource: { lineageId: string; revisionId: string }): void;
  /** One view of a dataset's public page. Never throws. */
  countView(datasetId: string): void;
  /** Writes what was counted since the last flush: one upsert per table. Never throws. */
  flush(): Promise<void>;
  /** Stops the timer and flushes what is left (on app close). */
  close(): Promise<void>;
}

export interface StatsCounterOptions {
  db: Queryable;
  log: Pick<FastifyBaseLogger, 'warn' | 'error'>;
  /** How often counts are written; default 5 s. */
  flushIntervalMs?: number;
}

/**
 * Downloads and views kept in memory and written every few seconds, so counting adds no query to
 * a page or a download. A failed write is logged and its counts dropped: a statistic is not worth
 * failing a request or growing without bound. Keys are capped for the same reason.
 */
const MAX_PENDING_KEYS = 50_000;

export function createStatsCounter(options: StatsCounterOptions): StatsCounter {
  const { db, log } = options;
  let downloads = new Map<string, { revisionId: string; count: number }>();
  let views = new Map<string, number>();
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  const timer = setInterval(() => {
    void flush();
  }, options.flushIntervalMs ?? 5000);
  // The timer must not keep a finished process (a CLI command, a test) alive.
  timer.unref();

  function safely(work: () => void) {
    try {
      work();
    } catch (error) {
      log.warn({ err: error }, 'a count was dropped');
    }
  }

  async function write(): Promise<void> {
    const pendingDownloads = downloads;
    const pendingViews = views;
    downloads = new Map();
    views = new Map();
    try {
      await addDownloads(
        db,
        [...pendingDownloads].map(([lineageId, entry]) => ({ lineageId, revisionId: entry.revisionId, count: entry.count })),
      );
    } catch (error) {
      log.error({ err: error, dropped: pendingDownloads.size }, 'download counts could not be written');
    }
    try {
      await addViews(db, [...pendingViews].map(([datasetId, count]) => ({ datasetId, count })));
    } catch (error) {
      log.error({ err: error, dropped: pendingViews.size }, 'view counts could not be written');
    }
  }

  function flush(): Promise<void> {
    // One flush at a time: the timer and a close never write the same batch twice.
    running = running.then(write, write);
    return running;
  }

  return {
    countDownload(resource) {
      safely(() => {
        if (closed || !isUuid(resource.lineageId) || !isUuid(resource.revisionId)) return;
        const entry = downloads.get(resource.lineageId);
        if (entry) entry.count++;
        else if (downloads.size < MAX_PENDING_KEYS) downloads.set(resource.lineageId, { revisionId: resource.revisionId, count: 1 });
      });
    },
    countView(datasetId) {
      safely(() => {
        if (closed || !isUuid(datasetId)) return;
        const count = views.get(datasetId);
        if (count !== undefined) views.set(datasetId, count + 1);
        else if (views.size < MAX_PENDING_KEYS) views.set(datasetId, 1);
      });
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
      closed = true;
    },
  };
}
