import type { FastifyInstance } from 'fastify';
import { presentAgency } from '../agencies/agencies.presenter.ts';
import { presentDatasetSummary } from '../datasets/datasets.presenter.ts';
import { presentTopic } from '../topics/topics.presenter.ts';
import { homePageData } from './home.service.ts';

export default async function homeRoutes(app: FastifyInstance) {
  app.get('/', { config: { pageCache: true } }, async (request, reply) => {
    const data = await homePageData(app.db);
    const agencies = data.agencies
      .filter((row) => row.count > 0)
      .sort((a, b) => b.count - a.count)
      .map(({ agency, count }) => presentAgency(agency, count));
    return reply.page('public/home', {
      topics: data.topics.map(({ topic, count }) => presentTopic(topic, request.locale, count)),
      agencies,
      latest: data.latest.map((row) => presentDatasetSummary(row, request.locale)),
      mostDownloaded: data.mostDownloaded.map(({ row, downloads }) => ({ ...presentDatasetSummary(row, request.locale), downloads })),
      datasetCount: data.datasetCount,
      share: data.share,
    });
  });
}
