import { and, asc, count, desc, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { topics } from '../topics/topics.table.ts';
import { type Dataset, type DatasetRevision, datasetRevisions, datasets, type NewDatasetRevision } from './datasets.table.ts';

/** A published dataset as the public sees it: the dataset, its published revision, agency and topic. */
export type PublishedDatasetRow = Awaited<ReturnType<typeof selectPublished>>[number];

export interface PublishedFilter {
  topicId?: string;
  agencyId?: string;
}

export type PublishedSort = 'latest' | 'name';

function selectPublished(db: Queryable) {
  return db
    .select({
      dataset: datasets,
      revision: datasetRevisions,
      agency: { id: agencies.id, slug: agencies.slug, name: agencies.name },
      topic: { id: topics.id, slug: topics.slug, nameVi: topics.nameVi, nameEn: topics.nameEn },
    })
    .from(datasets)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, datasets.publishedRevisionId))
    .innerJoin(agencies, eq(agencies.id, datasets.agencyId))
    .innerJoin(topics, eq(topics.id, datasetRevisions.topicId));
}

function whereOf(filter: PublishedFilter): SQL | undefined {
  const conditions: SQL[] = [isNotNull(datasets.publishedRevisionId)];
  if (filter.topicId) conditions.push(eq(datasetRevisions.topicId, filter.topicId));
  if (filter.agencyId) conditions.push(eq(datasets.agencyId, filter.agencyId));
  return and(...conditions);
}

export async function listPublished(
  db: Queryable,
  filter: PublishedFilter,
  options: { limit: number; offset: number; sort?: PublishedSort },
): Promise<{ rows: PublishedDatasetRow[]; total: number }> {
  const where = whereOf(filter);
  const order =
    options.sort === 'name'
      ? [asc(datasetRevisions.title)]
      : [desc(datasetRevisions.publishedAt), asc(datasetRevisions.title)];
  const [rows, [{ total }]] = await Promise.all([
    selectPublished(db)
      .where(where)
      .orderBy(...order)
      .limit(options.limit)
      .offset(options.offset),
    db
      .select({ total: count() })
      .from(datasets)
      .innerJoin(datasetRevisions, eq(datasetRevisions.id, datasets.publishedRevisionId))
      .where(where),
  ]);
  return { rows, total };
}

export async function findPublishedBySlug(db: Queryable, slug: string): Promise<PublishedDatasetRow | undefined> {
  const [row] = await selectPublished(db).where(eq(datasets.slug, slug)).limit(1);
  return row;
}

export async function countPublishedByTopic(db: Queryable): Promise<Map<string, number>> {
  const rows = await db
    .select({ topicId: datasetRevisions.topicId, total: count() })
    .from(datasets)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, datasets.publishedRevisionId))
    .groupBy(datasetRevisions.topicId);
  return new Map(rows.map((row) => [row.topicId, row.total]));
}

export async function countPublishedByAgency(db: Queryable): Promise<Map<string, number>> {
  const rows = await db
    .select({ agencyId: datasets.agencyId, total: count() })
    .from(datasets)
    .where(isNotNull(datasets.publishedRevisionId))
    .groupBy(datasets.agencyId);
  return new Map(rows.map((row) => [row.agencyId, row.total]));
}

export async function countDatasets(db: Queryable): Promise<number> {
  const [{ total }] = await db.select({ total: count() }).from(datasets);
  return total;
}

export async function insertDataset(db: Queryable, values: typeof datasets.$inferInsert): Promise<Dataset> {
  const [row] = await db.insert(datasets).values(values).returning();
  return row;
}

export async function insertRevision(db: Queryable, values: NewDatasetRevision): Promise<DatasetRevision> {
  const [row] = await db.insert(datasetRevisions).values(values).returning();
  return row;
}

/** Makes a revision the public one; the first time also stamps the dataset's first publication. */
export async function setPublishedRevision(db: Queryable, datasetId: string, revisionId: string, at: Date): Promise<void> {
  await db
    .update(datasets)
    .set({
      publishedRevisionId: revisionId,
      firstPublishedAt: sql`coalesce(${datasets.firstPublishedAt}, ${at})`,
      updatedAt: at,
    })
    .where(eq(datasets.id, datasetId));
}

/** Every dataset of each agency, published or not (DOIT's agency list). */
export async function countAllDatasetsByAgency(db: Queryable): Promise<Map<string, number>> {
  const rows = await db.select({ agencyId: datasets.agencyId, total: count() }).from(datasets).groupBy(datasets.agencyId);
  return new Map(rows.map((row) => [row.agencyId, row.total]));
}

export async function listDatasetIdsOfAgency(db: Queryable, agencyId: string): Promise<string[]> {
  const rows = await db.select({ id: datasets.id }).from(datasets).where(eq(datasets.agencyId, agencyId));
  return rows.map((row) => row.id);
}

export async function listPublishedForSitemap(db: Queryable) {
  return db
    .select({ slug: datasets.slug, publishedAt: datasetRevisions.publishedAt })
    .from(datasets)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, datasets.publishedRevisionId))
    .orderBy(asc(datasets.slug));
}

/** Published datasets in the order of the ids given (e.g. most downloaded first). */
export async function listPublishedByIds(db: Queryable, ids: string[]): Promise<PublishedDatasetRow[]> {
  if (ids.length === 0) return [];
  const rows = await selectPublished(db).where(inArray(datasets.id, ids));
  const order = new Map(ids.map((id, index) => [id, index]));
  return rows.sort((a, b) => (order.get(a.dataset.id) ?? 0) - (order.get(b.dataset.id) ?? 0));
}
