import type { FastifyInstance } from 'fastify';

export default async function healthRoutes(app: FastifyInstance) {
  // Liveness: the process answers. Never touches the database, so a slow database does not restart us.
  app.get('/healthz', async () => ({ status: 'ok' }));

  /**
   * Readiness, dependency by dependency. Only the database is required: without it no page can be
   * served. Meilisearch down is reported ("degraded") but answered with 200, because search falls back
   * to PostgreSQL: a health check must not take a working portal out of rotation (or restart it)
   * for that.
   */
  app.get('/readyz', async (request, reply) => {
    const checks: Record<string, 'ok' | 'unavailable' | 'fallback'> = {};
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
        request.log.warn({ err: error }, 'search engine not ready; searches fall back to PostgreSQL');
        checks.search = 'fallback';
      }
    }
    const ready = checks.database === 'ok';
    const status = !ready ? 'unavailable' : Object.values(checks).every((value) => value === 'ok') ? 'ok' : 'degraded';
    return reply.code(ready ? 200 : 503).send({ status, checks });
  });
}
