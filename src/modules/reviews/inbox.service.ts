import type { Queryable } from '../../db/client.ts';
import { type Actor, agencyFilterOf, authorize, can } from '../accounts/permissions.ts';
import { countRevisionsInState, listRevisionsInState } from '../datasets/revisions.repository.ts';
import { latestReturnComments } from './reviews.repository.ts';

/** How many recently published revisions the inbox shows: the query stops there. */
export const recentlyPublishedShown = 10;

/**
 * What waits for whom (782 Art. 8.3): the leader sees what the officer sent; the officer sees what
 * came back with directions, their drafts, what waits for the leader and what was published.
 * Each list is one query in the actor's scope that reads only the columns and rows the page shows.
 */
export async function inboxFor(db: Queryable, actor: Actor | null) {
  authorize(actor, 'dataset.read');
  const agencyId = agencyFilterOf(actor);
  const [pending, returned, drafts, recentlyPublished] = await Promise.all([
    listRevisionsInState(db, 'pending_review', agencyId),
    listRevisionsInState(db, 'returned', agencyId),
    listRevisionsInState(db, 'draft', agencyId),
    listRevisionsInState(db, 'published', agencyId, recentlyPublishedShown),
  ]);
  const comments = await latestReturnComments(db, returned.map((row) => row.revisionId));
  return {
    pending,
    returned: returned.map((row) => ({ ...row, comment: comments.get(row.revisionId) ?? '' })),
    drafts,
    recentlyPublished,
  };
}

export type Inbox = Awaited<ReturnType<typeof inboxFor>>;

/**
 * The number in the back-office menu, on every back-office page: decisions waiting for whoever may
 * approve, returns waiting for whoever may edit, in their scope. One count query, no rows read.
 */
export async function inboxCount(db: Queryable, actor: Actor): Promise<number> {
  if (can(actor, 'dataset.approve')) return countRevisionsInState(db, 'pending_review', agencyFilterOf(actor));
  if (can(actor, 'dataset.edit')) return countRevisionsInState(db, 'returned', agencyFilterOf(actor));
  return 0;
}
