import { localized } from '../../lib/localized.ts';
import { formatDate, type Locale, type Translate } from '../../i18n/i18n.ts';
import type { Deadline } from './compliance.service.ts';
import type { CatalogueProblem } from './catalogue-csv.ts';
import type { EntryListRow } from './catalogue.repository.ts';
import type { Catalogue } from './catalogue.table.ts';

export function presentCatalogue(catalogue: Catalogue, locale: Locale, t: Translate) {
  return {
    id: catalogue.id,
    year: catalogue.year,
    status: catalogue.status,
    statusLabel: t(`catalogue.status_${catalogue.status}`),
    decision:
      catalogue.decisionNumber && catalogue.decisionDate
        ? { number: catalogue.decisionNumber, date: formatDate(locale, catalogue.decisionDate), signer: catalogue.signer ?? '' }
        : null,
  };
}

/** One row of the catalogue as pages show it; the back office also gets the ids it edits with. */
export function presentEntry(row: EntryListRow, locale: Locale, t: Translate) {
  const { entry } = row;
  return {
    id: entry.id,
    number: entry.number,
    title: entry.title,
    description: entry.description,
    agencyName: row.agencyName,
    agencyUrl: `/organization/${row.agencySlug}`,
    topicName: localized(row, 'topicName', locale),
    frequencyLabel: entry.frequency ? t(`frequency.${entry.frequency}`) : t('catalogue.no_frequency'),
    firstPublicationDate: formatDate(locale, entry.firstPublicationDate),
    notes: entry.notes,
    published: row.published,
    datasetUrl: row.published && row.datasetSlug ? `/dataset/${row.datasetSlug}` : null,
  };
}

/** Problems as a table: row 0 means the whole file. */
export function presentProblems(problems: CatalogueProblem[], t: Translate) {
  return problems.map((problem) => ({
    row: problem.row === 0 ? t('catalogue.problem_file') : String(problem.row),
    column: problem.column ?? '',
    message: t(problem.key, problem.params),
  }));
}

/** Deadline rows for the back-office home. */
export function presentDeadlines(
  lists: { overdue: Array<Deadline & { days: number }>; dueSoon: Array<Deadline & { days: number }>; showAgency: boolean },
  locale: Locale,
  t: Translate,
) {
  const row = (item: Deadline & { days: number }) => ({
    number: item.number,
    title: item.title,
    agencyName: item.agencyName,
    url: item.datasetId ? `/admin/datasets/${item.datasetId}` : null,
    what: item.periodKey === 'first' ? t('catalogue.deadline_first') : t('catalogue.deadline_update', { period: item.periodKey }),
    due: formatDate(locale, item.due),
    days: item.days,
  });
  return { overdue: lists.overdue.map(row), dueSoon: lists.dueSoon.map(row), showAgency: lists.showAgency };
}
