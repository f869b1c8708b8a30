import type { FastifyInstance } from 'fastify';
import { parsePage } from '../../lib/pagination.ts';
import { presentDatasetSummary } from '../datasets/datasets.presenter.ts';
import { presentAgency } from './agencies.presenter.ts';
import { getAgencyWithDatasets, listAgenciesWithCounts } from './agencies.service.ts';

// CKAN calls publishers "organizations": /organization and /organization/:slug.
export default async function agencyRoutes(app: FastifyInstance) {
  app.get('/organization', { config: { pageCache: true } }, async (request, reply) => {
    const rows = await listAgenciesWithCounts(app.db);
    return reply.page('public/agency-list', {
      title: request.t('agencies.list_title'),
      agencies: rows.map(({ agency, count }) => presentAgency(agency, count)),
    });
  });

  app.get<{ Params: { slug: string }; Querystring: { page?: string } }>('/organization/:slug', { config: { pageCache: true } }, async (request, reply) => {
    const page = parsePage(request.query.page);
    const { agency, datasets } = await getAgencyWithDatasets(app.db, request.params.slug, page);
    return reply.page('public/agency', {
      title: agency.name,
      agency: presentAgency(agency, datasets.total),
      page: { ...datasets, items: datasets.items.map((row) => presentDatasetSummary(row, request.locale)) },
    });
  });
}
