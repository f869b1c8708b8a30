import type { FastifyInstance } from 'fastify';
import { formatDate } from '../../i18n/i18n.ts';
import { datasetFeedbackSection } from '../feedback/feedback.sections.ts';
import { presentQualityBadge } from '../quality/quality.presenter.ts';
import { publishedQualityOf } from '../quality/quality.service.ts';
import { citation, datasetJsonLd, safeJsonForHtml } from '../seo/seo.presenter.ts';
import { baseUrlOf } from '../../lib/base-url.ts';
import { presentDatasetPage } from './datasets.presenter.ts';
import { getPublishedDataset } from './datasets.service.ts';
import { localized } from '../../lib/localized.ts';

export default async function datasetRoutes(app: FastifyInstance) {
  app.get<{ Params: { slug: string } }>('/dataset/:slug', { config: { pageCache: true } }, async (request, reply) => {
    const { row, resources, history, downloadCounts, qualityInput, hasPublicFeedback } = await getPublishedDataset(app.db, request.params.slug);
    const dataset = presentDatasetPage(row, resources, request.locale, history);
    const countView = () => app.stats.countView(row.dataset.id);
    countView();
    app.onPageServe(request, countView);
    const [site, datasetFeedback] = await Promise.all([app.settings.site(), datasetFeedbackSection(app.db, reply, row.dataset, { hasPublic: hasPublicFeedback })]);
    const base = baseUrlOf(app, request);
    const absolute = (path: string) => (/^https?:\/\//.test(path) ? path : `${base}${path}`);
    return reply.page('public/dataset', {
      title: dataset.title,
      description: dataset.excerpt,
      dataset,
      downloadCounts,
      datasetFeedback,
      // Scored from what the page's one statement read: the badge used to read the same rows again.
      quality: presentQualityBadge(publishedQualityOf(qualityInput, site), request.t),
      openGraph: { type: 'article', url: absolute(dataset.url) },
      jsonLd: safeJsonForHtml(datasetJsonLd(dataset, absolute, site, request.locale)),
      citation: citation(localized(site, 'citationTemplate', request.locale), {
        agency: dataset.agency.name,
        title: dataset.title,
        portal: localized(site, 'portalTitle', request.locale),
        url: absolute(dataset.url),
        date: formatDate(request.locale, new Date()),
      }),
    });
  });
}
