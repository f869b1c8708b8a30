import { type Actor, type AgencyOwned, can } from '../accounts/permissions.ts';
import type { Feedback } from './feedback.table.ts';

/**
 * The owner of a feedback item for the agency rule: its agency, or DOIT when it holds it. No
 * officer or leader belongs to "no agency", so only DOIT staff pass the rule for DOIT's items.
 */
export function holderOf(item: Pick<Feedback, 'agencyId'>): AgencyOwned {
  return { agencyId: item.agencyId ?? 'doit' };
}

/** What a person may do with a feedback item now, for templates (they never test roles). */
export function feedbackAbilities(actor: Actor | null, item: Feedback) {
  const handles = can(actor, 'feedback.answer', holderOf(item));
  const closed = item.status === 'resolved' || item.status === 'declined';
  return {
    answer: handles && !item.hiddenAt,
    close: handles && !closed && !item.hiddenAt,
    forward: handles && item.agencyId !== null && !closed && !item.hiddenAt,
    linkDataset: handles && item.kind === 'data_request' && !item.hiddenAt,
    reassign: can(actor, 'feedback.reassign', holderOf(item)) && !closed,
    hide: can(actor, 'feedback.moderate', holderOf(item)) && !item.hiddenAt,
    unhide: can(actor, 'feedback.moderate', holderOf(item)) && item.hiddenAt !== null,
    seeSubmitter: can(actor, 'feedback.read', holderOf(item)),
  };
}

export type FeedbackAbilities = ReturnType<typeof feedbackAbilities>;
