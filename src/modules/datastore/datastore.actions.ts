import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { baseUrlOf } from '../../lib/base-url.ts';
import { CkanActionError } from '../ckan-api/ckan-actions.ts';
import { presentFields } from './datastore.presenter.ts';
import { columnsOf, QueryError } from './datastore.query.ts';
import { liveTableOf, readRecords } from './datastore.records.ts';
import { ckanSearchRequestOf } from './datastore.schemas.ts';

/** Our refusals in CKAN's shapes: a bad parameter is a Validation Error naming it, a missing table Not Found. */
function ckanError(request: FastifyRequest, error: unknown): unknown {
  if (error instanceof QueryError) {
    const message = request.t(error.messageKey, error.params);
    return new CkanActionError('validation', message, { [error.parameter]: [message] });
  }
  if (error instanceof AppError) {
    const message = request.t(error.messageKey, error.params);
    if (error.statusCode === 404 || error.statusCode === 409) return new CkanActionError('notFound', message);
    return new CkanActionError('badRequest', message);
  }
  return error;
}

function resourceIdOf(params: Record<string, unknown>, request: FastifyRequest): string {
  const id = params.resource_id ?? params.id;
  if (typeof id !== 'string' || id === '') {
    const message = request.t('datastore.resource_id_missing');
    throw new CkanActionError('validation', message, { resource_id: [message] });
  }
  return id;
}

/** CKAN's datastore_search and datastore_info over our loaded tables (read-only: nothing is written through the API). */
export function registerDatastoreActions(app: FastifyInstance) {
  app.registerCkanAction('datastore_search', {
    async handler({ request, params }) {
      try {
        const resourceId = resourceIdOf(params, request);
        const search = ckanSearchRequestOf(params);
        const result = await readRecords(app.db, resourceId, search);
        const base = `${baseUrlOf(app, request)}/api/3/action/datastore_search?resource_id=${resourceId}`;
        return {
          resource_id: result.resourceId,
          fields: presentFields(result.columns),
          records: result.records,
          records_format: 'objects',
          limit: result.limit,
          offset: result.offset,
          include_total: search.includeTotal,
          ...(result.total !== undefined ? { total: result.total, total_was_estimated: false } : {}),
          ...(search.q ? { q: search.q } : {}),
          ...(search.filters.length > 0 ? { filters: params.filters } : {}),
          _links: { start: `${base}`, next: `${base}&offset=${result.offset + result.limit}` },
        };
      } catch (error) {
        throw ckanError(request, error);
      }
    },
  });

  app.registerCkanAction('datastore_info', {
    async handler({ request, params }) {
      try {
        const resourceId = resourceIdOf(params, request);
        const live = await liveTableOf(app.db, resourceId);
        return {
          meta: { id: live.resourceId, count: live.table.rowCount ?? 0, table_type: 'BASE TABLE', aliases: [], loaded_at: live.table.loadedAt },
          fields: presentFields(columnsOf(live.table.fields).slice(1)),
        };
      } catch (error) {
        throw ckanError(request, error);
      }
    },
  });
}
