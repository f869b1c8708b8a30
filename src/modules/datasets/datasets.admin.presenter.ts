import type { Translate } from '../../i18n/i18n.ts';
import type { Resource } from '../resources/resources.table.ts';
import type { DatasetRevision } from './datasets.table.ts';

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
