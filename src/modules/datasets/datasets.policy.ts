import { type Actor, can } from '../accounts/permissions.ts';
import type { Dataset, DatasetRevision } from './datasets.table.ts';

/**
 * What a person may do with a dataset right now, for templates (they never test roles themselves):
 * the role's permission, the agency rule and the state of the revision in the works.
 */
export function datasetAbilities(actor: Actor | null, dataset: Dataset, open: DatasetRevision | null) {
  const editable = !open || open.state === 'draft' || open.state === 'returned';
  return {
    edit: can(actor, 'dataset.edit', dataset) && editable,
    submit: can(actor, 'dataset.submit', dataset) && open !== null && editable,
    discard: can(actor, 'dataset.edit', dataset) && open !== null && editable,
    approve: can(actor, 'dataset.approve', dataset) && open?.state === 'pending_review',
    return: can(actor, 'dataset.return', dataset) && open?.state === 'pending_review',
    withdraw: can(actor, 'dataset.unpublish', dataset) && dataset.publishedRevisionId !== null,
  };
}

export type DatasetAbilities = ReturnType<typeof datasetAbilities>;
