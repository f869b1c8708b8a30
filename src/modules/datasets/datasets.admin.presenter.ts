import type { Locale, Translate } from '../../i18n/i18n.ts';
import type { Topic } from '../topics/topics.table.ts';
import type { DatasetAbilities } from './datasets.policy.ts';
import { updateFrequencies } from './datasets.table.ts';
import type { Resource } from '../resources/resources.table.ts';
import type { DatasetRevision, RevisionState } from './datasets.table.ts';
import { localized } from '../../lib/localized.ts';

/** A resource in the back office: with its inspection report and privacy flags, which the public never sees. */
const delimiterNames: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

export function presentResourceForReview(resource: Resource, t: Translate, datasetId?: string) {
  const inspection = resource.inspection;
  const formula = inspection?.problems.find((problem) => problem.code === 'formula_cells');
  return {
    id: resource.id,
    /** The whole stored file, for back-office readers (the leader checks it before approving). */
    downloadUrl: datasetId && resource.storageKey ? `/admin/datasets/${datasetId}/resources/${resource.id}/file` : null,
    name: resource.name,
    description: resource.description,
    format: resource.format,
    fileName: resource.fileName,
    url: resource.url,
    sizeBytes: resource.sizeBytes,
    sha256: resource.sha256,
    rowCount: resource.rowCount,
    /** The encoding the file came in, in words ("Windows-1258 (tiếng Việt cũ)"), when it was converted. */
    originalEncoding: resource.originalEncoding ? t(`ui.encoding.${resource.originalEncoding}`) : null,
    delimiter: inspection?.delimiter ? t(`ui.delimiter.${delimiterNames[inspection.delimiter] ?? 'other'}`, { char: inspection.delimiter }) : null,
    columns: inspection?.columns.map((column) => ({ name: column.name, type: t(`uploads.type_name_${column.type}`) })) ?? [],
    previewRows: inspection?.previewRows.slice(0, 10) ?? [],
    formulaWarning: formula ? t('ui.problem_formula_cells', { count: formula.actual ?? 0, row: formula.row ?? '', column: formula.column ?? '' }) : null,
    problems: (inspection?.problems ?? []).filter((problem) => problem.code !== 'formula_cells').map((problem) =>
      t(problem.code === 'blank_rows' ? 'ui.problem_blank_rows' : `uploads.problem_${problem.code}`, {
        row: problem.row ?? '',
        column: problem.column ?? problem.columnIndex ?? '',
        expected: problem.expected ?? '',
        actual: problem.actual ?? '',
      }),
    ),
    wrongColumnCountTotal: inspection?.wrongColumnCountTotal ?? 0,
    piiFlags: resource.piiFlags.map((flag) =>
      t(`uploads.pii_${flag.kind}`, { column: flag.column, matches: flag.matches, sample: flag.sample ?? '' }),
    ),
  };
}

/** The revision's form values (also what the form shows back after a refused edit). */
export function revisionFormValues(revision: DatasetRevision, slug: string) {
  return {
    title: revision.title,
    slug,
    description: revision.description,
    topicId: revision.topicId,
    updateFrequency: revision.updateFrequency,
    firstPublicationDate: revision.firstPublicationDate ?? '',
    notes: revision.notes,
    tags: revision.tags.join(', '),
    licence: revision.licence,
    temporalCoverage: revision.temporalCoverage,
    spatialCoverage: revision.spatialCoverage,
    contact: revision.contact,
  };
}

export function stateLabel(state: DatasetRevision['state'] | null, t: Translate) {
  return state ? t(`reviews.state_${state}`) : '';
}

/**
 * The one state → badge mapping of the back office (the badge's colour class and its words): a
 * superseded revision was public, so it wears the published colour; pending wears "pending".
 */
const stateBadges: Record<RevisionState, string> = {
  draft: 'draft',
  pending_review: 'pending',
  returned: 'returned',
  published: 'published',
  superseded: 'published',
  withdrawn: 'withdrawn',
};

export interface StateBadge {
  badge: string;
  label: string;
}

export function stateBadge(state: RevisionState, t: Translate): StateBadge;
export function stateBadge(state: RevisionState | null, t: Translate): StateBadge | null;
export function stateBadge(state: RevisionState | null, t: Translate): StateBadge | null {
  return state ? { badge: stateBadges[state], label: stateLabel(state, t) } : null;
}

/** A row of the back office's dataset list: only what the table shows. */
export function presentWorkspaceRow(
  row: { id: string; title: string; agencyName: string; publishedRevisionId: string | null; withdrawnAt: Date | null; updatedAt: Date; openState: RevisionState | null },
  t: Translate,
) {
  return {
    id: row.id,
    title: row.title,
    agencyName: row.agencyName,
    updatedAt: row.updatedAt,
    publicState: row.publishedRevisionId ? t('reviews.public_online') : row.withdrawnAt ? t('reviews.state_withdrawn') : t('reviews.public_never'),
    openState: stateBadge(row.openState, t),
  };
}

/** The choices of the dataset form, in the visitor's language. */
export function datasetFormOptions(choices: { topics: Topic[] }, t: Translate, locale: Locale) {
  return {
    topicOptions: [{ value: '', label: t('datasets.choose_topic') }, ...choices.topics.map((topic) => ({ value: topic.id, label: localized(topic, 'name', locale) }))],
    frequencyOptions: updateFrequencies.map((value) => ({ value, label: t(`frequency.${value}`) })),
  };
}

/** One dataset in the back office: what the workspace page shows, and what the person may do. */
export function presentWorkspace(
  workspace: {
    dataset: { id: string; slug: string; withdrawnReason: string | null };
    open: DatasetRevision | null;
    current: DatasetRevision | null;
    shown: DatasetRevision;
    resources: Resource[];
    returnNote: { comment: string; at: Date; by: string } | null;
    can: DatasetAbilities;
  },
  t: Translate,
) {
  const { dataset, open, current, shown } = workspace;
  return {
    title: shown.title,
    dataset: { id: dataset.id, slug: dataset.slug, publicUrl: current ? `/dataset/${dataset.slug}` : null, withdrawnReason: dataset.withdrawnReason },
    revision: {
      title: shown.title,
      description: shown.description,
      updateFrequency: shown.updateFrequency,
      firstPublicationDate: shown.firstPublicationDate,
      tags: shown.tags,
      number: shown.number,
      state: stateBadge(shown.state, t),
      isOpen: open !== null,
    },
    current: current ? { number: current.number, publishedAt: current.publishedAt } : null,
    resources: workspace.resources.map((resource) => presentResourceForReview(resource, t, dataset.id)),
    returnNote: workspace.returnNote,
    can: workspace.can,
  };
}
