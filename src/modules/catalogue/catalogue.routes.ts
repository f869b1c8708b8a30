import { attachmentDisposition } from '../../lib/content-disposition.ts';
import { localized } from '../../lib/localized.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { baseUrlOf } from '../../lib/base-url.ts';
import { badRequest } from '../../lib/errors.ts';
import { parsePage } from '../../lib/pagination.ts';
import { catalogueToCsv, catalogueToXlsx } from './catalogue-export.ts';
import { presentCatalogue, presentEntry } from './catalogue.presenter.ts';
import { entryFilterQuery } from './catalogue.schemas.ts';
import { browsePublicCatalogue } from './catalogue.service.ts';

const pageSize = 50;

function filtersOf(request: FastifyRequest) {
  const parsed = entryFilterQuery.safeParse(request.query ?? {});
  if (!parsed.success) throw badRequest('catalogue.invalid_filter');
  return parsed.data;
}

/** The approved catalogue in force, for everyone: what each agency must publish and what it has published. */
export default async function catalogueRoutes(app: FastifyInstance) {
  app.get<{ Querystring: { page?: string } }>('/catalogue', async (request, reply) => {
    const filters = filtersOf(request);
    const result = await browsePublicCatalogue(app.db, filters, parsePage(request.query.page, pageSize));
    const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value) as Array<[string, string]>).toString();
    const t = request.t;
    return reply.page('public/catalogue', {
      title: t('catalogue.public_title'),
      catalogue: result.catalogue ? presentCatalogue(result.catalogue, request.locale, t) : null,
      page: { ...result.page, items: result.page.items.map((row) => presentEntry(row, request.locale, t)) },
      publishedCount: result.publishedCount,
      filters: { agency: filters.agency ?? '', topic: filters.topic ?? '', published: filters.published ?? '' },
      agencyOptions: [{ value: '', label: t('catalogue.filter_all') }, ...result.agencies.map((agency) => ({ value: agency.slug, label: agency.name }))],
      topicOptions: [{ value: '', label: t('catalogue.filter_all') }, ...result.topics.map((topic) => ({ value: topic.slug, label: localized(topic, 'name', request.locale) }))],
      publishedOptions: [
        { value: '', label: t('catalogue.filter_all') },
        { value: 'yes', label: t('catalogue.state_published') },
        { value: 'no', label: t('catalogue.state_planned') },
      ],
      downloadQuery: query ? `?${query}` : '',
    });
  });

  app.get('/catalogue.csv', async (request, reply) => {
    const result = await browsePublicCatalogue(app.db, filtersOf(request), null);
    const year = result.catalogue?.year ?? new Date().getFullYear();
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', attachmentDisposition(`danh-muc-du-lieu-mo-${year}.csv`))
      .send(catalogueToCsv(result.page.items, baseUrlOf(app, request)));
  });

  app.get('/catalogue.xlsx', async (request, reply) => {
    const result = await browsePublicCatalogue(app.db, filtersOf(request), null);
    const year = result.catalogue?.year ?? new Date().getFullYear();
    const site = await app.settings.site();
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', attachmentDisposition(`danh-muc-du-lieu-mo-${year}.xlsx`))
      .send(await catalogueToXlsx(result.catalogue, result.page.items, { baseUrl: baseUrlOf(app, request), provinceName: site.provinceName }));
  });
}
