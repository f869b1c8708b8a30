import type { FastifyInstance } from 'fastify';
import { presentDataService } from './data-services.presenter.ts';
import { listPublishedServices } from './data-services.repository.ts';

/** The public list of data sharing services (Lai Châu plan 4.2): APIs agencies offer, with how to use them. */
export default async function dataServiceRoutes(app: FastifyInstance) {
  app.get('/services', { config: { pageCache: true } }, async (request, reply) => {
    const services = (await listPublishedServices(app.db)).map(presentDataService);
    return reply.page('public/services', { title: request.t('services.title'), services });
  });
}
