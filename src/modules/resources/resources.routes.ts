import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { attachmentDisposition } from '../../lib/content-disposition.ts';
import { notFound } from '../../lib/errors.ts';
import { clientGone } from '../previews/file-jobs.ts';
import { presentResourcePage } from '../previews/previews.presenter.ts';
import { prepareConversion, resourceGeoJson, resourcePageData } from '../previews/previews.service.ts';
import { JobStoppedError } from '../tabular/worker-pool.ts';
import { withUtf8Bom } from './excel-bom.ts';
import { downloadOriginal, downloadResource } from './resources.service.ts';

type ResourceParams = { slug: string; resourceId: string };

const columnName = z.preprocess((value) => (typeof value === 'string' ? value.slice(0, 200) : undefined), z.string().optional());
const chartQuery = z.object({
  x: columnName,
  y: columnName,
  kind: z.enum(['bar', 'line']).catch('bar'),
});

export default async function resourceRoutes(app: FastifyInstance) {
  /** A HEAD request or a link checker's probe is not a download. */
  function countDownload(request: FastifyRequest, resource: { lineageId: string; revisionId: string }) {
    if (request.method === 'GET') app.stats.countDownload(resource);
  }

  // CKAN's path, with the file name at the end so that saved files get a readable name.
  app.get<{ Params: ResourceParams }>('/dataset/:slug/resource/:resourceId/download/:fileName?', async (request, reply) => {
    const download = await downloadResource(app.db, app.storage, request.params.slug, request.params.resourceId);
    if (download.kind === 'link') {
      countDownload(request, download.resource);
      if (download.expiring) reply.header('cache-control', 'no-store');
      return reply.redirect(download.url);
    }
    if (download.kind === 'missing') {
      request.log.warn({ resourceId: download.resourceId }, 'stored file of a published resource is missing');
      throw notFound('errors.file_missing');
    }
    const { resource, file } = download;
    const textual = /^text\/|json|xml|csv/.test(resource.mediaType);
    // The first download a citizen sees must open in Excel: CSVs go out with a UTF-8 BOM.
    const body = resource.mediaType === 'text/csv' ? await withUtf8Bom(file.stream) : { stream: file.stream, addedBytes: 0 };
    reply
      .type(textual ? `${resource.mediaType}; charset=utf-8` : resource.mediaType)
      .header('content-length', file.sizeBytes + body.addedBytes)
      .header('content-disposition', attachmentDisposition(resource.fileName ?? `${resource.id}.${resource.format.toLowerCase()}`));
    if (resource.sha256) reply.header('etag', body.addedBytes > 0 ? `"${resource.sha256}-bom"` : `"${resource.sha256}"`);
    countDownload(request, resource);
    return reply.send(body.stream);
  });

  // The bytes the agency uploaded, before they were re-encoded to UTF-8, under a name that says so.
  app.get<{ Params: ResourceParams }>('/dataset/:slug/resource/:resourceId/original/:fileName?', async (request, reply) => {
    const original = await downloadOriginal(app.db, app.storage, request.params.slug, request.params.resourceId);
    countDownload(request, original.resource);
    if (original.url !== null) return reply.header('cache-control', 'no-store').redirect(original.url);
    const { resource, file, fileName } = original;
    return reply
      .type(resource.mediaType)
      .header('content-length', file.sizeBytes)
      .header('content-disposition', attachmentDisposition(fileName))
      .send(file.stream);
  });

  // The resource page: facts, a preview of the first rows, a chart built on the server, a map.
  app.get<{ Params: ResourceParams }>('/dataset/:slug/resource/:resourceId', { config: { pageCache: true } }, async (request, reply) => {
    const chart = chartQuery.parse(request.query ?? {});
    const data = await resourcePageData(app.db, app.storage, request.params.slug, request.params.resourceId, chart, clientGone(reply.raw));
    const tiles = app.config.MAP_TILE_URL ? { url: app.config.MAP_TILE_URL, attribution: app.config.MAP_ATTRIBUTION ?? '' } : undefined;
    const page = presentResourcePage(data, { t: request.t, locale: request.locale, chart, tiles });
    return reply.page('public/resource', { title: page.resource.name, page });
  });

  // The table in another format, converted while it is sent.
  app.get<{ Params: ResourceParams & { format: string } }>(
    '/dataset/:slug/resource/:resourceId/convert/:format',
    async (request, reply) => {
      const { slug, resourceId, format } = request.params;
      const conversion = await prepareConversion(app.db, app.storage, slug, resourceId, format.toLowerCase());
      const body = new PassThrough();
      // In a worker thread: a large or hostile file never blocks the answers to others.
      conversion.run(body, clientGone(reply.raw)).catch((error: unknown) => {
        if (error instanceof JobStoppedError && error.reason === 'aborted') return; // the client left
        // Headers are gone already: the response is cut short, which a client sees as a failed download.
        request.log.error({ err: error, resourceId, format }, 'conversion failed');
      });
      countDownload(request, conversion.resource);
      const textual = conversion.format !== 'xlsx';
      return sendAttachment(reply, body, textual ? `${conversion.mediaType}; charset=utf-8` : conversion.mediaType, conversion.fileName);
    },
  );

  // Points of the map as GeoJSON, for public/js/map.js (and anyone else).
  app.get<{ Params: ResourceParams }>('/dataset/:slug/resource/:resourceId/geojson', async (request, reply) => {
    const result = await resourceGeoJson(app.db, app.storage, request.params.slug, request.params.resourceId, clientGone(reply.raw));
    if (result.truncated) reply.header('x-truncated', 'true');
    return reply.type('application/geo+json; charset=utf-8').send(JSON.stringify(result.featureCollection));
  });

  function sendAttachment(reply: FastifyReply, body: PassThrough, type: string, fileName: string) {
    return reply.type(type).header('content-disposition', attachmentDisposition(fileName)).send(body);
  }
}
