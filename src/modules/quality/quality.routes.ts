import type { FastifyInstance } from 'fastify';
import { requireUuid } from '../../lib/ids.ts';
import { presentQualityDetail, presentQualityRow } from './quality.presenter.ts';
import { datasetQuality, qualityOverview } from './quality.service.ts';

/** The quality score of an agency's datasets (uData's criteria), with what to fix. */
export default async function qualityAdminRoutes(app: FastifyInstance) {
  app.get('/admin/quality', async (request, reply) => {
    const { rows, everyAgency } = await qualityOverview(app.db, request.actor, await app.settings.site());
    return reply.page('admin/quality-list', {
      title: request.t('quality.list_title'),
      rows: rows.map((row) => presentQualityRow(row, request.locale, request.t)),
      showAgency: everyAgency,
    });
  });

  app.get<{ Params: { datasetId: string } }>('/admin/quality/:datasetId', async (request, reply) => {
    const id = requireUuid(request.params.datasetId, 'errors.dataset_not_found');
    const assessed = await datasetQuality(app.db, request.actor, id, await app.settings.site());
    const detail = presentQualityDetail(assessed, request.t);
    return reply.page('admin/quality', { title: request.t('quality.detail_title', { title: detail.title }), quality: detail });
  });
}
