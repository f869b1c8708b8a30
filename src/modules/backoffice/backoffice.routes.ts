import type { FastifyInstance } from 'fastify';
import accountAdminRoutes from '../accounts/accounts.admin.routes.ts';
import agencyAdminRoutes from '../agencies/agencies.admin.routes.ts';
import auditRoutes from '../audit/audit.routes.ts';
import catalogueAdminRoutes from '../catalogue/catalogue.admin.routes.ts';
import reportRoutes from '../reports/reports.routes.ts';
import { presentDeadlines, presentReminders } from '../catalogue/catalogue.presenter.ts';
import { recentReminders } from '../catalogue/reminders.service.ts';
import { deadlinesFor } from '../catalogue/compliance.service.ts';
import { unpublishedEntries } from '../catalogue/catalogue.service.ts';
import { can } from '../accounts/permissions.ts';
import datasetAdminRoutes from '../datasets/datasets.admin.routes.ts';
import { presentDatasetSummary } from '../datasets/datasets.presenter.ts';
import feedbackAdminRoutes from '../feedback/feedback.admin.routes.ts';
import qualityAdminRoutes from '../quality/quality.routes.ts';
import reviewRoutes from '../reviews/reviews.routes.ts';
import settingsAdminRoutes from '../settings/settings.admin.routes.ts';
import { dashboardFor } from './backoffice.service.ts';
import { requireSignedIn } from './require-signed-in.ts';

/** Everything under /admin: one gate for the group, then each domain's own back-office routes. */
export default async function backofficeRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireSignedIn);

  app.get('/admin', async (request, reply) => {
    const dashboard = await dashboardFor(app.db, request.actor);
    const deadlines = await deadlinesFor(app.db, request.actor, await app.settings.site());
    const todo = can(request.actor, 'dataset.create') ? await unpublishedEntries(app.db, request.actor) : null;
    return reply.page('admin/dashboard', {
      title: request.t('backoffice.nav_dashboard'),
      deadlines: presentDeadlines(deadlines, request.locale, request.t),
      reminders: presentReminders(await recentReminders(app.db, request.actor), deadlines.showAgency, request.locale, request.t),
      todo: todo?.map((entry) => ({ number: entry.number, title: entry.title, createUrl: `/admin/datasets/new?entry=${entry.id}` })) ?? null,
      dashboard:
        dashboard.kind === 'agency' && dashboard.published
          ? { ...dashboard, published: { ...dashboard.published, items: dashboard.published.items.map((row) => presentDatasetSummary(row, request.locale)) } }
          : dashboard,
    });
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
