import type { Locale } from '../../i18n/i18n.ts';
import { excerpt } from '../../lib/text.ts';
import type { Resource } from '../resources/resources.table.ts';
import { presentResource, type ResourceView } from '../resources/resources.presenter.ts';
import type { PublishedDatasetRow } from './datasets.repository.ts';
import type { ChangeSummary, DatasetRevision, UpdateFrequency } from './datasets.table.ts';
import { localized } from '../../lib/localized.ts';

export interface DatasetSummaryView {
  slug: string;
  url: string;
  title: string;
  excerpt: string;
  agency: { name: string; url: string };
  topic: { name: string; url: string };
  updateFrequency: UpdateFrequency;
  publishedAt: Date | null;
}

export interface RevisionHistoryView {
  number: number;
  publishedAt: Date | null;
  isCurrent: boolean;
  changes: ChangeSummary | null;
  resources: ResourceView[];
}

export interface DatasetPageView extends DatasetSummaryView {
  tags: string[];
  licence: string;
  temporalCoverage: string;
  spatialCoverage: string;
  contact: string;
  history: RevisionHistoryView[];
  description: string;
  notes: string;
  catalogueNumber: number | null;
  firstPublicationDate: string | null;
  firstPublishedAt: Date | null;
  resources: ResourceView[];
}

export function presentDatasetSummary(row: PublishedDatasetRow, locale: Locale): DatasetSummaryView {
  return {
    slug: row.dataset.slug,
    url: `/dataset/${row.dataset.slug}`,
    title: row.revision.title,
    excerpt: excerpt(row.revision.description, 180),
    agency: { name: row.agency.name, url: `/organization/${row.agency.slug}` },
    topic: { name: localized(row.topic, 'name', locale), url: `/group/${row.topic.slug}` },
    updateFrequency: row.revision.updateFrequency,
    publishedAt: row.revision.publishedAt,
  };
}

export function presentDatasetPage(
  row: PublishedDatasetRow,
  resources: Resource[],
  locale: Locale,
  history: Array<{ revision: DatasetRevision; resources: Resource[] }> = [],
): DatasetPageView {
  return {
    ...presentDatasetSummary(row, locale),
    tags: row.revision.tags,
    licence: row.revision.licence,
    temporalCoverage: row.revision.temporalCoverage,
    spatialCoverage: row.revision.spatialCoverage,
    contact: row.revision.contact,
    history: history.map((entry) => ({
      number: entry.revision.number,
      publishedAt: entry.revision.publishedAt,
      isCurrent: entry.revision.id === row.revision.id,
      changes: entry.revision.changeSummary,
      resources: entry.resources.map((resource) => presentResource(row.dataset.slug, resource)),
    })),
    description: row.revision.description,
    notes: row.revision.notes,
    catalogueNumber: row.dataset.catalogueNumber,
    firstPublicationDate: row.revision.firstPublicationDate,
    firstPublishedAt: row.dataset.firstPublishedAt,
    resources: resources.map((resource) => presentResource(row.dataset.slug, resource)),
  };
}
