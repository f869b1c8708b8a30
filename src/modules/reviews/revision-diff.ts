import type { ChangeSummary, DatasetRevision } from '../datasets/datasets.table.ts';
import type { Resource } from '../resources/resources.table.ts';

/** The metadata fields a leader compares, in form order. */
export const comparedFields = [
  'title',
  'description',
  'topicId',
  'updateFrequency',
  'firstPublicationDate',
  'notes',
  'tags',
  'licence',
  'temporalCoverage',
  'spatialCoverage',
  'contact',
] as const satisfies ReadonlyArray<keyof DatasetRevision>;
export type ComparedField = (typeof comparedFields)[number];

export interface ResourceChange {
  kind: 'added' | 'removed' | 'replaced' | 'unchanged';
  before: Resource | null;
  after: Resource | null;
}

export interface RevisionDiff {
  fields: Array<{ field: ComparedField; before: string; after: string }>;
  resources: ResourceChange[];
}

const show = (value: unknown): string => (Array.isArray(value) ? value.join(', ') : value == null ? '' : String(value));

/**
 * What a candidate revision changes from the public one: metadata field by field, and files matched
 * by lineage (a file kept from the previous revision but with another checksum was replaced).
 */
export function diffRevisions(
  before: { revision: Partial<Record<ComparedField, unknown>>; resources: Resource[] } | null,
  after: { revision: Pick<DatasetRevision, ComparedField>; resources: Resource[] },
): RevisionDiff {
  const fields = comparedFields
    .map((field) => ({ field, before: before ? show(before.revision[field]) : '', after: show(after.revision[field]) }))
    .filter((change) => change.before !== change.after);
  const previous = new Map((before?.resources ?? []).map((resource) => [resource.lineageId, resource]));
  const resources: ResourceChange[] = after.resources.map((resource) => {
    const old = previous.get(resource.lineageId);
    previous.delete(resource.lineageId);
    if (!old) return { kind: 'added', before: null, after: resource };
    const same = old.sha256 === resource.sha256 && old.url === resource.url && old.name === resource.name;
    return { kind: same ? 'unchanged' : 'replaced', before: old, after: resource };
  });
  for (const old of previous.values()) resources.push({ kind: 'removed', before: old, after: null });
  return { fields, resources };
}

export function summarise(diff: RevisionDiff): ChangeSummary {
  const count = (kind: ResourceChange['kind']) => diff.resources.filter((change) => change.kind === kind).length;
  return { fields: diff.fields.map((change) => change.field), added: count('added'), removed: count('removed'), replaced: count('replaced') };
}

/** What the leader compares later: the fields and files of a revision as it is now. */
export function snapshotOf(revision: Pick<DatasetRevision, ComparedField>, resources: Resource[]) {
  return { fields: Object.fromEntries(comparedFields.map((field) => [field, revision[field]])), resources };
}
