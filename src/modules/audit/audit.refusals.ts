import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { recordAudit } from './audit.service.ts';

/**
 * A signed-in person refused with 403 (another agency's dataset, a DOIT page, a stale form) leaves
 * a line in the audit log: repeated refusals are what an integrity check looks for (782 Art. 5.1).
 * Recorded just before the answer goes out; a failure to record is logged, never shown to the person.
 */
export default fp(
  async function auditRefusals(app: FastifyInstance) {
    app.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode !== 403 || !request.actor) return payload;
      const route = request.routeOptions.url ?? request.url.split('?')[0];
      await recordAudit(app.db, request.actor, {
        action: 'access.refused',
        objectType: 'route',
        objectLabel: `${request.method} ${route}`,
        details: { url: request.url.split('?')[0].slice(0, 300) },
      }).catch((error: unknown) => request.log.error({ err: error }, 'could not record a refused request in the audit log'));
      return payload;
    });
  },
  { name: 'audit-refusals' },
);
