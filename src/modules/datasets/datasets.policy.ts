import { type AppError, conflict, forbidden } from '../../lib/errors.ts';
import { type Actor, can } from '../accounts/permissions.ts';
import type { Dataset, DatasetRevision, RevisionState } from './datasets.table.ts';

/**
 * The dataset verbs, one policy each (CKAN pairs `package_update` with an auth function of the same
 * name): each decides on the role's permission, the agency rule AND the state of the revision in the
 * works. Services call `authorizeDataset` inside their transaction; templates get `datasetAbilities`,
 * computed by the same functions. No service, route, SQL string or template keeps its own copy.
 */

/** Only a draft or a returned revision can be edited; one waiting for the leader is frozen. */
export const editableStates = ['draft', 'returned'] as const satisfies readonly RevisionState[];

export function isEditable(state: RevisionState): boolean {
  return (editableStates as readonly RevisionState[]).includes(state);
}

/** What a policy looks at: the dataset (owner, public revision) and the revision in the works, if any. */
export interface DatasetInView {
  dataset: Pick<Dataset, 'agencyId' | 'publishedRevisionId'>;
  open: Pick<DatasetRevision, 'state'> | null;
}

/** null: allowed. Otherwise why not: 403 for who you are, 409 with a sentence for the state it is in. */
export type Refusal = AppError | null;

const refuse = forbidden;

export const datasetPolicies = {
  /** Starting a new dataset: an officer, for their own agency (DOIT publishes nothing itself). */
  create: (actor: Actor | null): Refusal => (can(actor, 'dataset.create') && actor?.agencyId ? null : refuse()),
  /** Reading it in the back office (workspace, review page, draft files). */
  read: (actor: Actor | null, { dataset }: DatasetInView): Refusal => (can(actor, 'dataset.read', dataset) ? null : refuse()),
  /** Editing metadata or files; with nothing in the works, a new draft is started from the public revision. */
  edit: (actor: Actor | null, { dataset, open }: DatasetInView): Refusal => {
    if (!can(actor, 'dataset.edit', dataset)) return refuse();
    if (open && !isEditable(open.state)) return conflict('datasets.locked_for_review');
    return null;
  },
  /** Sending the revision in the works to the leader (782 Art. 8.3). */
  submit: (actor: Actor | null, { dataset, open }: DatasetInView): Refusal => {
    if (!can(actor, 'dataset.submit', dataset)) return refuse();
    if (!open) return conflict('reviews.nothing_to_submit');
    if (!isEditable(open.state)) return conflict('reviews.already_submitted');
    return null;
  },
  /** Throwing away a draft that is not waiting for the leader. */
  discard: (actor: Actor | null, { dataset, open }: DatasetInView): Refusal => {
    if (!can(actor, 'dataset.edit', dataset)) return refuse();
    if (!open || !isEditable(open.state)) return conflict('datasets.nothing_to_discard');
    return null;
  },
  approve: (actor: Actor | null, { dataset, open }: DatasetInView): Refusal => {
    if (!can(actor, 'dataset.approve', dataset)) return refuse();
    if (open?.state !== 'pending_review') return conflict('reviews.not_pending');
    return null;
  },
  return: (actor: Actor | null, { dataset, open }: DatasetInView): Refusal => {
    if (!can(actor, 'dataset.return', dataset)) return refuse();
    if (open?.state !== 'pending_review') return conflict('reviews.not_pending');
    return null;
  },
  /** Taking the public revision offline, with a reason. */
  withdraw: (actor: Actor | null, { dataset }: DatasetInView): Refusal => {
    if (!can(actor, 'dataset.unpublish', dataset)) return refuse();
    if (!dataset.publishedRevisionId) return conflict('reviews.not_published');
    return null;
  },
} as const;

export type DatasetVerb = keyof typeof datasetPolicies;
export const datasetVerbs = Object.keys(datasetPolicies) as DatasetVerb[];

/** Throws the policy's refusal (403 or 409); narrows the actor for the service that called it. */
export function authorizeDataset(actor: Actor | null, verb: 'create'): asserts actor is Actor;
export function authorizeDataset(actor: Actor | null, verb: Exclude<DatasetVerb, 'create'>, subject: DatasetInView): asserts actor is Actor;
export function authorizeDataset(actor: Actor | null, verb: DatasetVerb, subject?: DatasetInView): asserts actor is Actor {
  const refusal = verb === 'create' ? datasetPolicies.create(actor) : datasetPolicies[verb](actor, subject as DatasetInView);
  if (refusal) throw refusal;
}

/** Whether a new dataset may be started (the "new dataset" button). */
export const mayCreateDataset = (actor: Actor | null): boolean => datasetPolicies.create(actor) === null;

/** What a person may do with a dataset right now, for templates (they never test roles or states themselves). */
export function datasetAbilities(actor: Actor | null, dataset: DatasetInView['dataset'], open: DatasetInView['open']) {
  const allowed = (verb: Exclude<DatasetVerb, 'create'>) => datasetPolicies[verb](actor, { dataset, open }) === null;
  return {
    edit: allowed('edit'),
    submit: allowed('submit'),
    discard: allowed('discard'),
    approve: allowed('approve'),
    return: allowed('return'),
    withdraw: allowed('withdraw'),
  };
}

export type DatasetAbilities = ReturnType<typeof datasetAbilities>;
