import type { FastifyInstance } from 'fastify';
import { notFound } from '../../lib/errors.ts';
import { downloadResource } from './resources.service.ts';

/** RFC 6266 / 5987: an ASCII fallback name plus the real UTF-8 name for browsers that read it. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '_') || 'download';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export default async function resourceRoutes(app: FastifyInstance) {
  // CKAN's path, with the file name at the end so that saved files get a readable name.
  app.get<{ Params: { slug: string; resourceId: string } }>(
    '/dataset/:slug/resource/:resourceId/download/:fileName?',
    async (request, reply) => {
      const download = await downloadResource(app.db, app.storage, request.params.slug, request.params.resourceId);
      if (download.kind === 'link') return reply.redirect(download.url);
      if (download.kind === 'missing') {
        request.log.warn({ resourceId: download.resourceId }, 'stored file of a published resource is missing');
        throw notFound('errors.file_missing');
      }
      const { resource, file } = download;
      const textual = /^text\/|json|xml|csv/.test(resource.mediaType);
      reply
        .type(textual ? `${resource.mediaType}; charset=utf-8` : resource.mediaType)
        .header('content-length', file.sizeBytes)
        .header('content-disposition', contentDisposition(resource.fileName ?? `${resource.id}.${resource.format.toLowerCase()}`));
      if (resource.sha256) reply.header('etag', `"${resource.sha256}"`);
      return reply.send(file.stream);
    },
  );
}
