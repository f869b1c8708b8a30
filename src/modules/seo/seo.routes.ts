import type { FastifyInstance } from 'fastify';
import { baseUrlOf } from '../../lib/base-url.ts';
import { escapeXml } from '../../lib/xml.ts';
import { listActiveAgencies } from '../agencies/agencies.repository.ts';
import { listPublishedForSitemap } from '../datasets/datasets.repository.ts';
import { listTopics } from '../topics/topics.repository.ts';


/** What search engines read: robots.txt and a sitemap of every public page. */
export default async function seoRoutes(app: FastifyInstance) {
  app.get('/robots.txt', async (request, reply) => {
    reply.type('text/plain; charset=utf-8');
    return ['User-agent: *', 'Disallow: /admin', 'Disallow: /login', 'Disallow: /account', 'Disallow: /reset-password', `Sitemap: ${baseUrlOf(app, request)}/sitemap.xml`, ''].join('\n');
  });

  app.get('/sitemap.xml', async (request, reply) => {
    const base = baseUrlOf(app, request);
    const [topics, agencies, datasets] = await Promise.all([listTopics(app.db), listActiveAgencies(app.db), listPublishedForSitemap(app.db)]);
    const entry = (path: string, lastmod?: Date | null) =>
      `<url><loc>${escapeXml(base + path)}</loc>${lastmod ? `<lastmod>${lastmod.toISOString().slice(0, 10)}</lastmod>` : ''}</url>`;
    const urls = [
      entry('/'),
      entry('/dataset'),
      entry('/group'),
      entry('/organization'),
      entry('/terms'),
      ...topics.map((topic) => entry(`/group/${topic.slug}`)),
      ...agencies.map((agency) => entry(`/organization/${agency.slug}`)),
      ...datasets.map((dataset) => entry(`/dataset/${dataset.slug}`, dataset.publishedAt)),
    ];
    reply.type('application/xml; charset=utf-8');
    return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
  });
}
