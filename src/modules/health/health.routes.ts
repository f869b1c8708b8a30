import type { FastifyInstance } from 'fastify';

export default async function healthRoutes(app: FastifyInstance) {
  // Liveness: the process answers. Never touches the database, so a slow database does not restart us.
  app.get('/healthz', async () => ({ status: 'ok' }));

  // Readiness: the database (and the search engine, when one is configured) answer.
  app.get('/readyz', async (request, reply) => {
    const checks: Record<string, 'ok' | 'unavailable'> = {};
    try {
      await app.database.ping();
      checks.database = 'ok';
    } catch (error) {
      request.log.warn({ err: error }, 'database not ready');
      checks.database = 'unavailable';
    }
    if (app.config.MEILI_URL) {
      try {
        await app.searchEngine.ping();
        checks.search = 'ok';
      } catch (error) {
        request.log.warn({ err: error }, 'search engine not ready');
        checks.search = 'unavailable';
      }
    }
    const ready = Object.values(checks).every((value) => value === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks });
  });
}
