import fp from 'fastify-plugin';
import { createStatsCounter, type StatsCounter } from './stats.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Download and view counts, batched: `app.stats.countView(datasetId)` from a page route. */
    stats: StatsCounter;
  }
}

/** Counts are flushed every few seconds and once more when the app closes. */
export default fp(
  async (app, options: { flushIntervalMs?: number }) => {
    const counter = createStatsCounter({ db: app.db, log: app.log, flushIntervalMs: options.flushIntervalMs });
    app.decorate('stats', counter);
    // After in-flight requests; onClose hooks run last-registered first, so the database is still open.
    app.addHook('onClose', async () => {
      await counter.close();
    });
  },
  { name: 'stats' },
);
