import type { FastifyInstance } from 'fastify';
import { presentDatasetPage } from './datasets.presenter.ts';
import { getPublishedDataset } from './datasets.service.ts';

export default async function datasetRoutes(app: FastifyInstance) {
  app.get<{ Params: { slug: string } }>('/dataset/:slug', async (request, reply) => {
    const { row, resources, history } = await getPublishedDataset(app.db, request.params.slug);
    const dataset = presentDatasetPage(row, resources, request.locale, history);
    return reply.page('public/dataset', { title: dataset.title, dataset });
  });
}
