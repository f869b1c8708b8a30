import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parsePage } from '../../lib/pagination.ts';
import { presentDatasetPage, presentDatasetSummary } from './datasets.presenter.ts';
import { browsePublished, getPublishedDataset } from './datasets.service.ts';

const listQuery = z.object({
  // Long queries are trimmed, not refused: a pasted paragraph still searches.
  q: z.preprocess((value) => (typeof value === 'string' ? value.trim().slice(0, 200) : ''), z.string()),
  sort: z.enum(['latest', 'name']).catch('latest'),
  page: z.unknown().optional(),
});

export default async function datasetRoutes(app: FastifyInstance) {
  app.get('/dataset', async (request, reply) => {
    const query = listQuery.parse(request.query ?? {});
    const page = parsePage(query.page);
    const result = await browsePublished(app.db, { text: query.q || undefined }, page, query.sort);
    return reply.page('public/dataset-list', {
      title: request.t('datasets.list_title'),
      query: query.q,
      sort: query.sort,
      page: { ...result, items: result.items.map((row) => presentDatasetSummary(row, request.locale)) },
    });
  });

  app.get<{ Params: { slug: string } }>('/dataset/:slug', async (request, reply) => {
    const { row, resources, history } = await getPublishedDataset(app.db, request.params.slug);
    const dataset = presentDatasetPage(row, resources, request.locale, history);
    return reply.page('public/dataset', { title: dataset.title, dataset });
  });
}
