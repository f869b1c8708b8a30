import type { FastifyInstance } from 'fastify';

/**
 * The terms of use every dataset without a licence of its own is published under: DOIT's setting,
 * in both languages, with the legal basis. Dataset pages and their JSON-LD `license` point here.
 */
export default async function termsRoutes(app: FastifyInstance) {
  app.get('/terms', { config: { pageCache: true } }, async (request, reply) => {
    return reply.page('public/terms', { title: request.t('ui.terms_title') });
  });
}
