import type { FastifyInstance, FastifyRequest } from 'fastify';
import { baseUrlOf } from '../../lib/base-url.ts';
import { isUuid } from '../../lib/ids.ts';
import { findPublicResource, findTable } from './datastore.repository.ts';
import { presentDataApi } from './datastore.presenter.ts';
import { isActiveFor } from './datastore.service.ts';

const resourcePage = '/dataset/:slug/resource/:resourceId';

/**
 * The "Data API" panel of the public resource page (views/partials/data-api.eta reads `it.dataApi`):
 * given to the page through reply.locals, so the resource page's own route needs no change.
 */
export function addDataApiPanel(app: FastifyInstance) {
  app.addHook('preHandler', async (request: FastifyRequest, reply) => {
    if (request.method !== 'GET' || request.routeOptions.url !== resourcePage) return;
    const { resourceId } = request.params as { resourceId?: string };
    if (!isUuid(resourceId)) return;
    const found = await findPublicResource(app.db, resourceId);
    if (!found) return;
    const table = await findTable(app.db, found.resource.lineageId);
    if (!isActiveFor(table, found.resource)) return;
    const withLocals = reply as unknown as { locals?: Record<string, unknown> };
    withLocals.locals = { ...(withLocals.locals ?? {}), dataApi: presentDataApi(baseUrlOf(app, request), resourceId, table.fields) };
  });
}
