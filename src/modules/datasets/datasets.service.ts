import type { Queryable } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { type Page, type PageRequest, toPage } from '../../lib/pagination.ts';
import type { Resource } from '../resources/resources.table.ts';
import type { PublishedQualityInput } from '../quality/quality.service.ts';
import { agencyTitleOrder, publishedCounts, totalOf } from './catalogue-summary.ts';
import type { DatasetRevision } from './datasets.table.ts';
import {
  findPublishedWithHistory,
  listPublished,
  listPublishedByIds,
  type PublishedDatasetRow,
  type PublishedFilter,
  type PublishedSort,
} from './datasets.repository.ts';

/** The public side of datasets: only published revisions are ever read here. */
export async function browsePublished(
  db: Queryable,
  filter: PublishedFilter,
  page: PageRequest,
  sort: PublishedSort = 'latest',
): Promise<Page<PublishedDatasetRow>> {
  if (sort === 'name' && filter.agencyId && !filter.topicId) {
    const order = await agencyTitleOrder(db, filter.agencyId);
    const rows = await listPublishedByIds(db, order.slice(page.offset, page.offset + page.pageSize));
    return toPage(rows, order.length, page);
  }
  const [rows, counts] = await Promise.all([
    listPublished(db, filter, { limit: page.pageSize, offset: page.offset, sort }),
    publishedCounts(db),
  ]);
  return toPage(rows, totalOf(counts, filter), page);
}

export interface PublishedDataset {
  row: PublishedDatasetRow;
  resources: Resource[];
  /** Every approved revision, newest first, each with its files. */
  history: Array<{ revision: DatasetRevision; resources: Resource[] }>;
  /** Downloads of each current file, by resource id (a file counts its whole lineage). */
  downloadCounts: Map<string, number>;
  /** What the quality badge is scored from, read with the page (publishedQualityOf scores it with the site's settings). */
  qualityInput: PublishedQualityInput;
  /** Whether any feedback about it is public: without it the page asks for none. */
  hasPublicFeedback: boolean;
}

export async function getPublishedDataset(db: Queryable, slug: string): Promise<PublishedDataset> {
  const found = await findPublishedWithHistory(db, slug);
  if (!found) throw notFound('errors.dataset_not_found');
  const { row, approved, filesOf, downloadsOf, linkChecksOf, entryFrequency, hasPublicFeedback } = found;
  const resources = filesOf.get(row.revision.id) ?? [];
  // Every approved revision stays in the history, its files still downloadable (issue: revisions).
  const history = approved.map((revision) => ({ revision, resources: filesOf.get(revision.id) ?? [] }));
  const downloadCounts = new Map(resources.map((resource) => [resource.id, downloadsOf.get(resource.id) ?? 0]));
  const files = resources.map((resource) => {
    const check = linkChecksOf.get(resource.id);
    return { ...resource, checkOk: check?.ok ?? null, checkStatus: check?.status ?? null, checkUrl: check?.url ?? null };
  });
  const qualityInput = { dataset: row.dataset, revision: row.revision, files, revisions: approved, entryFrequency };
  return { row, resources, history, downloadCounts, qualityInput, hasPublicFeedback };
}
