import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { registerDatastoreActions } from './datastore.actions.ts';
import { addDataApiPanel } from './datastore.panel.ts';
import datastoreRoutes from './datastore.routes.ts';
import { createDatastoreLoader, type DatastoreLoader, loadJobName, syncDatastore, syncJobName } from './datastore.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Loads a lineage's public file into its table now (the job does this; tests and the CLI may too). */
    datastoreLoader: DatastoreLoader;
  }
}

/**
 * The DataStore: the load job's worker, a daily catch-up, the Records API, CKAN's datastore
 * actions, the back-office status page and the resource page's "Data API" panel.
 */
export default fp(
  async (app: FastifyInstance) => {
    const test = app.config.NODE_ENV === 'test';
    const loader = createDatastoreLoader({ handle: app.database, storage: app.storage, log: app.log });
    app.decorate('datastoreLoader', loader);
    app.jobs.work<{ lineageId: string; force?: boolean }>(
      loadJobName,
      async (job) => {
        await loader.load(job.payload.lineageId, job, { force: job.payload.force });
      },
      // One waiting and one running load per lineage; a crashed process's load is retried after an hour.
      { policy: 'stately', retryLimit: 3, retryDelaySeconds: test ? 1 : 30, expireInSeconds: 60 * 60 },
    );
    app.jobs.work(syncJobName, async () => {
      await syncDatastore(app.db);
    });
    app.jobs.scheduleDaily(syncJobName, '02:30');
    // After a deploy, tables published before the DataStore existed are loaded without waiting for the night.
    if (!test) app.addHook('onReady', async () => void (await app.jobs.enqueue(syncJobName, {})));
    registerDatastoreActions(app);
    addDataApiPanel(app);
    await app.register(datastoreRoutes);
  },
  { name: 'datastore', dependencies: ['jobs', 'ckan-actions'] },
);
