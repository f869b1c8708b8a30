import type { FastifyInstance } from 'fastify';
import { parsePage } from '../../lib/pagination.ts';
import { presentDatasetSummary } from '../datasets/datasets.presenter.ts';
import { presentTopic } from './topics.presenter.ts';
import { getTopicWithDatasets, listTopicsWithCounts } from './topics.service.ts';

// CKAN calls topic groups "groups": /group and /group/:slug.
export default async function topicRoutes(app: FastifyInstance) {
  app.get('/group', { config: { pageCache: true } }, async (request, reply) => {
    const topics = await listTopicsWithCounts(app.db);
    return reply.page('public/topic-list', {
      title: request.t('topics.list_title'),
      topics: topics.map(({ topic, count }) => presentTopic(topic, request.locale, count)),
    });
  });

  app.get<{ Params: { slug: string }; Querystring: { page?: string } }>('/group/:slug', { config: { pageCache: true } }, async (request, reply) => {
    const page = parsePage(request.query.page);
    const { topic, datasets } = await getTopicWithDatasets(app.db, request.params.slug, page);
    const view = presentTopic(topic, request.locale, datasets.total);
    return reply.page('public/topic', {
      title: view.name,
      topic: view,
      page: { ...datasets, items: datasets.items.map((row) => presentDatasetSummary(row, request.locale)) },
    });
  });
}
