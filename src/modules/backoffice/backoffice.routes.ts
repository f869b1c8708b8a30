import type { FastifyInstance } from 'fastify';
import accountAdminRoutes from '../accounts/accounts.admin.routes.ts';
import agencyAdminRoutes from '../agencies/agencies.admin.routes.ts';
import auditRoutes from '../audit/audit.routes.ts';
import catalogueAdminRoutes from '../catalogue/catalogue.admin.routes.ts';
import reportRoutes from '../reports/reports.routes.ts';
import datasetAdminRoutes from '../datasets/datasets.admin.routes.ts';
import feedbackAdminRoutes from '../feedback/feedback.admin.routes.ts';
import qualityAdminRoutes from '../quality/quality.routes.ts';
import reviewRoutes from '../reviews/reviews.routes.ts';
import settingsAdminRoutes from '../settings/settings.admin.routes.ts';
import { presentDashboard } from './backoffice.presenter.ts';
import { dashboardFor } from './backoffice.service.ts';
import { requireSignedIn } from './require-signed-in.ts';

/** Everything under /admin: one gate for the group, then each domain's own back-office routes. */
export default async function backofficeRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireSignedIn);

  app.get('/admin', async (request, reply) => {
    const dashboard = await dashboardFor(app.db, request.actor, await app.settings.site());
    return reply.page('admin/dashboard', { title: request.t('backoffice.nav_dashboard'), ...presentDashboard(dashboard, request) });
  });

  await app.register(agencyAdminRoutes);
  await app.register(accountAdminRoutes);
  await app.register(auditRoutes);
  await app.register(settingsAdminRoutes);
  await app.register(datasetAdminRoutes);
  await app.register(reviewRoutes);
  await app.register(feedbackAdminRoutes);
  await app.register(catalogueAdminRoutes);
  await app.register(reportRoutes);
  await app.register(qualityAdminRoutes);
}
