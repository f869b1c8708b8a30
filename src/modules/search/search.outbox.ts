import { and, asc, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/client.ts';
import { buildSearchDocuments, listPublicDatasetIds } from './search.documents.ts';
import { searchOutbox } from './search.table.ts';
import type { SearchEngine } from './search.types.ts';

/** Call inside the transaction that publishes, withdraws or renames: the index will follow, even after a crash. */
export async function enqueueSearchUpdate(tx: Queryable, datasetIds: string[]): Promise<void> {
  if (datasetIds.length === 0) return;
  await tx.insert(searchOutbox).values(datasetIds.map((datasetId) => ({ datasetId })));
}

interface Logger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

const batchSize = 200;

/**
 * Drains the outbox into every engine: rebuild each named dataset's document from the database,
 * upsert it (or remove it when the dataset is no longer public), then mark the rows done. A failing
 * engine leaves the rows pending, to be retried.
 */
export function createSearchIndexer(db: Database, engines: SearchEngine[], log: Logger, { onIndexed = () => {} }: { onIndexed?: () => void } = {}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | null = null;

  async function apply(datasetIds: string[]) {
    const documents = await buildSearchDocuments(db, datasetIds);
    const gone = datasetIds.filter((id) => !documents.has(id));
    for (const engine of engines) {
      await engine.upsert([...documents.values()]);
      await engine.remove(gone);
    }
    onIndexed();
  }

  async function drainOnce(): Promise<number> {
    let processed = 0;
    for (;;) {
      const pending = await db.select().from(searchOutbox).where(isNull(searchOutbox.processedAt)).orderBy(asc(searchOutbox.id)).limit(batchSize);
      if (pending.length === 0) return processed;
      const ids = pending.map((row) => row.id);
      try {
        await apply([...new Set(pending.map((row) => row.datasetId))]);
        await db.update(searchOutbox).set({ processedAt: new Date() }).where(inArray(searchOutbox.id, ids));
        processed += pending.length;
      } catch (error) {
        await db
          .update(searchOutbox)
          .set({ attempts: sql`${searchOutbox.attempts} + 1`, lastError: String((error as Error).message ?? error).slice(0, 500) })
          .where(inArray(searchOutbox.id, ids));
        log.warn({ err: error, pending: pending.length }, 'search index update failed; will retry');
        return processed;
      }
    }
  }

  return {
    /** Indexes everything pending now; concurrent calls share one run. */
    drain(): Promise<number> {
      running ??= drainOnce().finally(() => {
        running = null;
      });
      return running;
    },
    start(intervalMilliseconds: number) {
      timer = setInterval(() => {
        this.drain().catch((error) => log.warn({ err: error }, 'search outbox drain failed'));
      }, intervalMilliseconds);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
    /** Rebuilds every engine's index from the database (cli reindex). */
    async reindexAll(): Promise<number> {
      // Outbox rows written after this point are left for the next drain.
      const [{ last }] = await db.select({ last: sql<number>`coalesce(max(${searchOutbox.id}), 0)`.mapWith(Number) }).from(searchOutbox);
      const ids = await listPublicDatasetIds(db);
      for (const engine of engines) {
        await engine.setup();
        await engine.clear();
      }
      for (let start = 0; start < ids.length; start += 500) await apply(ids.slice(start, start + 500));
      await db
        .update(searchOutbox)
        .set({ processedAt: new Date() })
        .where(and(isNull(searchOutbox.processedAt), lte(searchOutbox.id, last)));
      // PGlite has no autovacuum: give the planner statistics for the freshly filled tables.
      await db.execute(sql`analyze search_documents`);
      log.info({ datasets: ids.length }, 'search index rebuilt');
      return ids.length;
    },
  };
}

export type SearchIndexer = ReturnType<typeof createSearchIndexer>;
