import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { collectJobCounts, databasePool, pageCacheLookups, registry, requestDuration } from './metrics.ts';

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may read /metrics: the bearer of METRICS_TOKEN when one is configured, otherwise only a
 * connection from this machine. The socket address is used, not X-Forwarded-For: a reverse proxy
 * on another host never counts as local, and the proxies shipped in deploy/ refuse /metrics anyway.
 */
export function mayReadMetrics(request: FastifyRequest, token: string | undefined): boolean {
  if (token) {
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
  return loopback.has(request.socket.remoteAddress ?? '');
}

/** Request latency by route pattern and page-cache lookups for every request; /metrics to read them. */
export default fp(
  async (app: FastifyInstance) => {
    app.addHook('onResponse', async (request, reply) => {
      // The route pattern (/dataset/:slug), never the raw URL: one series per route, not per dataset.
      const route = request.routeOptions.url ?? 'unmatched';
      requestDuration.observe({ route, method: request.method, status: `${Math.floor(reply.statusCode / 100)}xx` }, reply.elapsedTime / 1000);
      const cached = reply.getHeader('x-page-cache');
      if (cached === 'hit' || cached === 'miss') pageCacheLookups.inc({ result: cached });
    });

    app.get('/metrics', async (request, reply) => {
      if (!mayReadMetrics(request, app.config.METRICS_TOKEN)) {
        return reply.code(app.config.METRICS_TOKEN ? 401 : 403).send({ error: 'metrics are not public' });
      }
      try {
        await collectJobCounts(app.db);
      } catch (error) {
        request.log.warn({ err: error }, 'job counts not read for /metrics');
      }
      const pool = app.database.pool;
      if (pool) {
        for (const [state, value] of Object.entries({ total: pool.totalCount, idle: pool.idleCount, checked_out: pool.totalCount - pool.idleCount, waiting: pool.waitingCount })) {
          databasePool.set({ state }, value);
        }
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  },
  { name: 'metrics' },
);
