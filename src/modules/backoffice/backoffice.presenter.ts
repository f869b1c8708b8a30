import type { Locale, Translate } from '../../i18n/i18n.ts';
import { presentDeadlines, presentReminders } from '../catalogue/catalogue.presenter.ts';
import { presentDatasetSummary } from '../datasets/datasets.presenter.ts';
import type { Dashboard } from './backoffice.service.ts';

/** The dashboard as its template reads it: counts and names only, never whole rows. */
export function presentDashboard(result: Dashboard, viewer: { t: Translate; locale: Locale }) {
  const { dashboard: d } = result;
  return {
    deadlines: presentDeadlines(result.deadlines, viewer.locale, viewer.t),
    reminders: presentReminders(result.reminders, result.deadlines.showAgency, viewer.locale, viewer.t),
    todo: result.todo?.map((entry) => ({ number: entry.number, title: entry.title, createUrl: `/admin/datasets/new?entry=${entry.id}` })) ?? null,
    dashboard:
      d.kind === 'province'
        ? {
            kind: d.kind,
            agencyCount: d.agencyCount,
            accountCount: d.accountCount,
            publishedCount: d.publishedCount,
            share: { percent: d.share.percent },
            target: d.target,
            silentAgencies: d.silentAgencies.map((agency) => ({ name: agency.name })),
            feedback: d.feedback.map((row) => ({ agencyId: row.agencyId, agencyName: row.agencyName, open: row.open, overdue: row.overdue })),
          }
        : {
            kind: d.kind,
            agency: d.agency ? { name: d.agency.name } : null,
            published: d.published ? { total: d.published.total, items: d.published.items.map((row) => presentDatasetSummary(row, viewer.locale)) } : null,
          },
  };
}
