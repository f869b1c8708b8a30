import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { checkPublishedLinks } from './quality.service.ts';

export const linkCheckJobName = 'quality-link-check';

/** Links are checked once a day, at night in Vietnam, so the "links reachable" criterion stays current. */
export default fp(
  async (app: FastifyInstance) => {
    app.jobs.work(linkCheckJobName, async () => {
      const result = await checkPublishedLinks(app.db);
      app.log.info(result, 'links checked');
    });
    app.jobs.scheduleDaily(linkCheckJobName, '02:30');
  },
  { name: 'quality-jobs', dependencies: ['jobs'] },
);
