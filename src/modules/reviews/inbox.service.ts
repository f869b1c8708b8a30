import type { Queryable } from '../../db/client.ts';
import { type Actor, authorize, can } from '../accounts/permissions.ts';
import { listRevisionsInState } from '../datasets/revisions.repository.ts';
import { latestReturnComments } from './reviews.repository.ts';

/**
 * What waits for whom (782 Art. 8.3): the leader sees what the officer sent; the officer sees what
 * came back with directions, their drafts, what waits for the leader and what was published.
 */
export async function inboxFor(db: Queryable, actor: Actor | null) {
  authorize(actor, 'dataset.read');
  const agencyId = actor.role === 'admin' ? null : actor.agencyId;
  const [pending, returned, drafts, published] = await Promise.all([
    listRevisionsInState(db, ['pending_review'], agencyId),
    listRevisionsInState(db, ['returned'], agencyId),
    listRevisionsInState(db, ['draft'], agencyId),
    listRevisionsInState(db, ['published'], agencyId),
  ]);
  const comments = await latestReturnComments(db, returned.map((row) => row.revision.id));
  return {
    pending,
    returned: returned.map((row) => ({ ...row, comment: comments.get(row.revision.id) ?? '' })),
    drafts,
    recentlyPublished: published.slice(0, 10),
  };
}

/** The number in the back-office menu: decisions waiting for a leader, returns waiting for an officer. */
export async function inboxCount(db: Queryable, actor: Actor): Promise<number> {
  if (actor.role === 'admin' || !actor.agencyId) return 0;
  if (can(actor, 'dataset.approve', { agencyId: actor.agencyId })) return (await listRevisionsInState(db, ['pending_review'], actor.agencyId)).length;
  if (can(actor, 'dataset.edit', { agencyId: actor.agencyId })) return (await listRevisionsInState(db, ['returned'], actor.agencyId)).length;
  return 0;
}
