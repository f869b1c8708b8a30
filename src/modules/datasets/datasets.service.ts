import type { Queryable } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { type Page, type PageRequest, toPage } from '../../lib/pagination.ts';
import { listResourcesOfRevision } from '../resources/resources.repository.ts';
import type { Resource } from '../resources/resources.table.ts';
import type { DatasetRevision } from './datasets.table.ts';
import { listApprovedRevisions } from './revisions.repository.ts';
import {
  findPublishedBySlug,
  listPublished,
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
  const { rows, total } = await listPublished(db, filter, { limit: page.pageSize, offset: page.offset, sort });
  return toPage(rows, total, page);
}

export async function getPublishedDataset(
  db: Queryable,
  slug: string,
): Promise<{ row: PublishedDatasetRow; resources: Resource[]; history: Array<{ revision: DatasetRevision; resources: Resource[] }> }> {
  const row = await findPublishedBySlug(db, slug);
  if (!row) throw notFound('errors.dataset_not_found');
  const [resources, approved] = await Promise.all([listResourcesOfRevision(db, row.revision.id), listApprovedRevisions(db, row.dataset.id)]);
  // Every approved revision stays in the history, its files still downloadable (issue: revisions).
  const history = await Promise.all(
    approved.map(async (revision) => ({
      revision,
      resources: revision.id === row.revision.id ? resources : await listResourcesOfRevision(db, revision.id),
    })),
  );
  return { row, resources, history };
}
