import type { Queryable } from '../../db/client.ts';
import { listUsers } from '../accounts/accounts.repository.ts';
import { type Actor, authorize, scopeOf } from '../accounts/permissions.ts';
import { findAgencyById } from '../agencies/agencies.repository.ts';
import { listAgenciesWithCounts, shareOfPublishing } from '../agencies/agencies.service.ts';
import { unpublishedEntries } from '../catalogue/catalogue.service.ts';
import { deadlinesFor } from '../catalogue/compliance.service.ts';
import { recentReminders } from '../catalogue/reminders.service.ts';
import { targetForYear } from '../catalogue/targets.service.ts';
import { mayCreateDataset } from '../datasets/datasets.policy.ts';
import { browsePublished } from '../datasets/datasets.service.ts';
import { feedbackDeadlinesByHolder } from '../feedback/feedback.service.ts';
import type { SiteSettings } from '../settings/settings.defaults.ts';

/**
 * What the dashboard shows: the province for those whose scope is the province, one's own agency
 * for the others; above it, catalogue deadlines in the same scope and, for whoever may create
 * datasets, the catalogue entries still waiting for one, and the deadline reminders sent lately.
 */
export async function dashboardFor(db: Queryable, actor: Actor | null, site: SiteSettings) {
  authorize(actor, 'backoffice.enter');
  const [deadlines, reminders, todo] = await Promise.all([
    deadlinesFor(db, actor, site),
    recentReminders(db, actor),
    mayCreateDataset(actor) ? unpublishedEntries(db, actor) : null,
  ]);
  const scope = scopeOf(actor);
  if (scope.kind === 'province') {
    const [agencies, accounts, feedback, target] = await Promise.all([
      listAgenciesWithCounts(db),
      listUsers(db),
      feedbackDeadlinesByHolder(db, actor),
      targetForYear(db, new Date().getFullYear()),
    ]);
    return {
      deadlines,
      reminders,
      todo,
      dashboard: {
        kind: 'province' as const,
        agencyCount: agencies.length,
        accountCount: accounts.filter((row) => !row.user.disabledAt).length,
        publishedCount: agencies.reduce((sum, row) => sum + row.count, 0),
        share: shareOfPublishing(agencies),
        /** This year's target share (plans: 70/90/100% for 2023/2024/2025), from the targets table. */
        target,
        silentAgencies: agencies.filter((row) => row.count === 0).map((row) => row.agency),
        /** Feedback waiting for an answer per agency (null: DOIT), overdue first (782 Art. 9.2). */
        feedback,
      },
    };
  }
  const agency = await findAgencyById(db, scope.agencyId);
  const published = agency ? await browsePublished(db, { agencyId: agency.id }, { page: 1, pageSize: 10, offset: 0 }, 'latest') : null;
  return { deadlines, reminders, todo, dashboard: { kind: 'agency' as const, agency, published } };
}

export type Dashboard = Awaited<ReturnType<typeof dashboardFor>>;
