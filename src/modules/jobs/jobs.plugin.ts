import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createJobRunner, type JobRunner } from './jobs.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Background jobs (see jobs.service.ts): modules call `work` while registering. */
    jobs: JobRunner;
  }
}

/** Registered before the modules; workers start when the app is ready and stop when it closes. */
export default fp(
  async (app: FastifyInstance) => {
    const runner = createJobRunner(app.database, app.log, { pollSeconds: app.config.NODE_ENV === 'test' ? 0.5 : 2 });
    app.decorate('jobs', runner);
    // A queue that cannot start (database unreachable at boot) must not take the web pages down with
    // it: /readyz reports the database, and jobs asked for meanwhile wait in the outbox.
    app.addHook('onReady', async () => {
      await runner.start().catch((error) => app.log.error({ err: error }, 'job runner did not start; background jobs are paused'));
    });
    app.addHook('onClose', async () => runner.stop());
  },
  { name: 'jobs' },
);
