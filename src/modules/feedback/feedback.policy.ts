import { type AppError, conflict, forbidden } from '../../lib/errors.ts';
import { type Actor, type AgencyOwned, can } from '../accounts/permissions.ts';
import type { Feedback } from './feedback.table.ts';

/**
 * The owner of a feedback item for the agency rule: its agency, or DOIT when it holds it. No
 * officer or leader belongs to "no agency", so only DOIT staff pass the rule for DOIT's items.
 */
export function holderOf(item: Pick<Feedback, 'agencyId'>): AgencyOwned {
  return { agencyId: item.agencyId ?? 'doit' };
}

type Item = Pick<Feedback, 'agencyId' | 'status' | 'hiddenAt' | 'kind'>;
const isClosed = (item: Item) => item.status === 'resolved' || item.status === 'declined';

/**
 * One policy per feedback verb, on role, holder AND the item's state (hidden, closed): null when
 * allowed, else 403 or 409 with the sentence the person reads. The services call authorizeFeedback
 * on the locked row; the abilities templates receive are the same functions.
 */
export const feedbackPolicies = {
  read: (actor: Actor | null, item: Item): AppError | null => (can(actor, 'feedback.read', holderOf(item)) ? null : forbidden()),
  answer: (actor: Actor | null, item: Item): AppError | null => {
    if (!can(actor, 'feedback.answer', holderOf(item))) return forbidden();
    return item.hiddenAt ? conflict('feedback.is_hidden') : null;
  },
  close: (actor: Actor | null, item: Item): AppError | null => {
    if (!can(actor, 'feedback.answer', holderOf(item))) return forbidden();
    if (item.hiddenAt) return conflict('feedback.is_hidden');
    return isClosed(item) ? conflict('feedback.already_closed') : null;
  },
  /** The holding agency hands it to DOIT. */
  forward: (actor: Actor | null, item: Item): AppError | null => {
    if (!can(actor, 'feedback.answer', holderOf(item))) return forbidden();
    if (item.agencyId === null) return conflict('feedback.already_at_doit');
    if (isClosed(item)) return conflict('feedback.already_closed');
    return item.hiddenAt ? conflict('feedback.is_hidden') : null;
  },
  /** A data request points to the dataset that answers it. */
  link: (actor: Actor | null, item: Item): AppError | null => {
    if (!can(actor, 'feedback.answer', holderOf(item))) return forbidden();
    if (item.kind !== 'data_request') return conflict('feedback.link_only_requests');
    return item.hiddenAt ? conflict('feedback.is_hidden') : null;
  },
  /** DOIT gives it to the agency that should answer. */
  reassign: (actor: Actor | null, item: Item): AppError | null => {
    if (!can(actor, 'feedback.reassign', holderOf(item))) return forbidden();
    return isClosed(item) ? conflict('feedback.already_closed') : null;
  },
  hide: (actor: Actor | null, item: Item): AppError | null => {
    if (!can(actor, 'feedback.moderate', holderOf(item))) return forbidden();
    return item.hiddenAt ? conflict('feedback.already_hidden') : null;
  },
  unhide: (actor: Actor | null, item: Item): AppError | null => {
    if (!can(actor, 'feedback.moderate', holderOf(item))) return forbidden();
    return item.hiddenAt ? null : conflict('feedback.not_hidden');
  },
} as const;

export type FeedbackVerb = keyof typeof feedbackPolicies;

export function authorizeFeedback(actor: Actor | null, verb: FeedbackVerb, item: Item): asserts actor is Actor {
  const refusal = feedbackPolicies[verb](actor, item);
  if (refusal) throw refusal;
}

/** What a person may do with a feedback item now, for templates (they never test roles or states). */
export function feedbackAbilities(actor: Actor | null, item: Item) {
  const allowed = (verb: FeedbackVerb) => feedbackPolicies[verb](actor, item) === null;
  return {
    answer: allowed('answer'),
    close: allowed('close'),
    forward: allowed('forward'),
    linkDataset: allowed('link'),
    reassign: allowed('reassign'),
    hide: allowed('hide'),
    unhide: allowed('unhide'),
    seeSubmitter: allowed('read'),
  };
}

export type FeedbackAbilities = ReturnType<typeof feedbackAbilities>;
