import { attachmentDisposition } from '../../lib/content-disposition.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { baseUrlOf } from '../../lib/base-url.ts';
import { can } from '../accounts/permissions.ts';
import { requireSignedIn } from '../backoffice/require-signed-in.ts';
import { presentDataApi, presentLoadStatus, presentRecords, recordsAsCsv, recordsAsXml } from './datastore.presenter.ts';
import { QueryError } from './datastore.query.ts';
import { readRecords } from './datastore.records.ts';
import { outputFormatOf, recordsRequestOf } from './datastore.schemas.ts';
import { datastoreStatus, requestReload } from './datastore.service.ts';

/** A refusal of the Records API as JSON with a sentence, whatever format was asked for. */
function sendRefusal(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (error instanceof QueryError) return reply.code(error.status).type('application/json; charset=utf-8').send({ error: error.status === 409 ? 'conflict' : 'bad_request', message: request.t(error.messageKey, error.params), parameter: error.parameter });
  if (error instanceof AppError) return reply.code(error.statusCode).type('application/json; charset=utf-8').send({ error: error.code, message: request.t(error.messageKey, error.params) });
  throw error;
}

/** The URL of the next page: the same request with `after` set (and `offset` dropped). */
function nextUrl(request: FastifyRequest, base: string, after: string): string {
  const url = new URL(request.url, base);
  url.searchParams.delete('offset');
  url.searchParams.set('after', after);
  return `${base}${url.pathname}${url.search}`;
}

export default async function datastoreRoutes(app: FastifyInstance) {
  // The Records API: the rows of a published table, filtered, sorted, paged; JSON, CSV or XML.
  app.get<{ Params: { id: string } }>('/api/v1/resources/:id/records', async (request, reply) => {
    try {
      const params = (request.query ?? {}) as Record<string, unknown>;
      const format = outputFormatOf(params, request.headers.accept);
      const result = await readRecords(app.db, request.params.id, recordsRequestOf(params));
      reply.header('access-control-allow-origin', '*');
      if (format === 'csv') {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', attachmentDisposition(`${result.resourceId}.csv`)).send(recordsAsCsv(result));
      }
      if (format === 'xml') return reply.type('application/xml; charset=utf-8').send(recordsAsXml(result));
      const base = baseUrlOf(app, request);
      return reply.send(presentRecords(result, result.nextAfter ? nextUrl(request, base, result.nextAfter) : undefined));
    } catch (error) {
      return sendRefusal(request, reply, error);
    }
  });

  await app.register(async (admin) => {
    admin.addHook('onRequest', requireSignedIn);

    // The officer follows a table's load here: progress while it runs, the row and the reason when it fails.
    admin.get<{ Params: { resourceId: string } }>('/admin/datastore/:resourceId', async (request, reply) => {
      const status = await datastoreStatus(app.db, request.actor, request.params.resourceId);
      const load = presentLoadStatus(status.table, request.t);
      return reply.page('admin/datastore-status', {
        title: request.t('datastore.status_title', { name: status.resource.name }),
        resource: { id: status.resource.id, name: status.resource.name, format: status.resource.format, rowCount: status.resource.rowCount },
        datasetId: status.datasetId,
        loadable: status.loadable,
        load,
        // Reload the page while a load is under way, so progress moves without a script.
        refresh: load.state === 'queued' || load.state === 'loading',
        canReload: can(request.actor, 'datastore.reload', { agencyId: status.agencyId }) && status.loadable,
        dataApi: status.table?.resourceId ? presentDataApi(baseUrlOf(app, request), status.resource.id, status.table.fields) : null,
      });
    });

    admin.post<{ Params: { resourceId: string } }>('/admin/datastore/:resourceId/reload', async (request, reply) => {
      await requestReload(app.db, request.actor, request.params.resourceId);
      return reply.flash('datastore.reload_queued').redirect(`/admin/datastore/${request.params.resourceId}`);
    });
  });
}
