import type { Queryable } from '../../db/client.ts';
import { listUsers } from '../accounts/accounts.repository.ts';
import { type Actor, authorize } from '../accounts/permissions.ts';
import { findAgencyById } from '../agencies/agencies.repository.ts';
import { listAgenciesWithCounts, shareOfPublishing } from '../agencies/agencies.service.ts';
import { targetForYear } from '../catalogue/targets.service.ts';
import { browsePublished } from '../datasets/datasets.service.ts';
import { feedbackDeadlinesByHolder } from '../feedback/feedback.service.ts';

/** What the dashboard shows: the province for DOIT, one's own agency for an officer or leader. */
export async function dashboardFor(db: Queryable, actor: Actor | null) {
  authorize(actor, 'backoffice.enter');
  if (actor.role === 'admin') {
    const [agencies, accounts, feedback, target] = await Promise.all([
      listAgenciesWithCounts(db),
      listUsers(db),
      feedbackDeadlinesByHolder(db, actor),
      targetForYear(db, new Date().getFullYear()),
    ]);
    return {
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
    };
  }
  const agency = actor.agencyId ? await findAgencyById(db, actor.agencyId) : undefined;
  const published = agency
    ? await browsePublished(db, { agencyId: agency.id }, { page: 1, pageSize: 10, offset: 0 }, 'latest')
    : null;
  return { kind: 'agency' as const, agency, published };
}
