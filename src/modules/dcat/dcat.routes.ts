import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { baseUrlOf } from '../../lib/base-url.ts';
import { dataPackage } from './datapackage.presenter.ts';
import { type DcatContext, catalogueQuads, datasetQuads } from './dcat.presenter.ts';
import { toJsonLd, toRdfXml, toTurtle } from './dcat.serializers.ts';
import { cataloguePageSize, loadAllPublished, loadPublishedDataset, loadPublishedSlice, parseFeedQuery } from './dcat.service.ts';
import { dcatUsCatalogue } from './dcat-us.presenter.ts';
import type { Quad } from 'n3';
import { z } from 'zod';
import { apiTags, useZodSchemas } from '../ckan-api/openapi.plugin.ts';

const formats = {
  ttl: 'text/turtle; charset=utf-8',
  jsonld: 'application/ld+json; charset=utf-8',
  rdf: 'application/rdf+xml; charset=utf-8',
} as const;
type Format = keyof typeof formats;

async function send(reply: FastifyReply, format: Format, quads: Quad[]) {
  reply.type(formats[format]);
  if (format === 'ttl') return reply.send(await toTurtle(quads));
  if (format === 'jsonld') return reply.send(JSON.stringify(toJsonLd(quads)));
  return reply.send(toRdfXml(quads));
}

/** Catalogue feeds that harvesters read: DCAT-AP 3, DCAT-US 1.1 data.json, Frictionless datapackage.json. */
export default async function dcatRoutes(app: FastifyInstance) {
  useZodSchemas(app);
  const slugParams = z.object({ slug: z.string().describe('The dataset name (slug)') });
  const pageQuery = z.looseObject({
    page: z.string().optional().describe('Page from 1; 100 datasets a page, Hydra links to the others'),
    modified_since: z.string().optional().describe('Only datasets changed since this ISO 8601 date or date-time (UTC)'),
  });
  const dcatContext = (request: FastifyRequest): DcatContext => {
    const baseUrl = baseUrlOf(app, request);
    return {
      baseUrl,
      catalogueTitle: request.t('dcat.catalogue_title'),
      catalogueDescription: request.t('dcat.catalogue_description'),
      defaultLicenceUrl: `${baseUrl}/terms`,
    };
  };

  for (const format of Object.keys(formats) as Format[]) {
    app.get(`/catalog.${format}`, { schema: { tags: [apiTags.feeds], summary: `DCAT-AP 3 catalogue (${formats[format].split(';')[0]})`, querystring: pageQuery } }, async (request, reply) => {
      const query = parseFeedQuery(request.query as Record<string, unknown>);
      const context = dcatContext(request);
      const slice = await loadPublishedSlice(app.db, {
        modifiedSince: query.modifiedSince,
        offset: (query.page - 1) * cataloguePageSize,
        limit: cataloguePageSize,
      });
      const pageUrl = (page: number) => {
        const params = new URLSearchParams();
        if (query.modifiedSince) params.set('modified_since', query.modifiedSince.toISOString());
        params.set('page', String(page));
        return `${context.baseUrl}/catalog.${format}?${params.toString()}`;
      };
      const quads = catalogueQuads(context, { ...slice, page: query.page, pageSize: cataloguePageSize, pageUrl });
      return send(reply, format, quads);
    });

    app.get<{ Params: { slug: string } }>(`/dataset/:slug.${format}`, { schema: { tags: [apiTags.feeds], summary: `One dataset in DCAT-AP 3 (${formats[format].split(';')[0]})`, params: slugParams } }, async (request, reply) => {
      const { row, resources } = await loadPublishedDataset(app.db, request.params.slug);
      return send(reply, format, datasetQuads(dcatContext(request), row, resources));
    });
  }

  app.get('/data.json', { schema: { tags: [apiTags.feeds], summary: 'DCAT-US 1.1 catalogue (Project Open Data)' } }, async (request, reply) => {
    const baseUrl = baseUrlOf(app, request);
    const fallbackEmail = /<([^>]+)>/.exec(app.config.MAIL_FROM)?.[1] ?? app.config.MAIL_FROM;
    const catalogue = dcatUsCatalogue({ baseUrl, fallbackEmail, defaultLicenceUrl: `${baseUrl}/terms` }, await loadAllPublished(app.db));
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(catalogue));
  });

  app.get<{ Params: { slug: string } }>('/dataset/:slug/datapackage.json', { schema: { tags: [apiTags.feeds], summary: 'Frictionless Data Package with a Table Schema per tabular file', params: slugParams } }, async (request, reply) => {
    const { row, resources } = await loadPublishedDataset(app.db, request.params.slug);
    const baseUrl = baseUrlOf(app, request);
    const body = dataPackage(baseUrl, row, resources, { path: `${baseUrl}/terms`, title: request.t('ckan.default_licence_title') });
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
  });
}
