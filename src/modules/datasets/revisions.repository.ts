import { and, asc, desc, eq, inArray, max, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { fieldError } from '../../lib/errors.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { topics } from '../topics/topics.table.ts';
import { type Dataset, type DatasetRevision, datasetRevisions, datasets, type NewDatasetRevision, type RevisionState } from './datasets.table.ts';

/** The states in which a revision is still being worked on (not yet approved or given up). */
export const openStates: RevisionState[] = ['draft', 'pending_review', 'returned'];
/** Approved revisions: the current one and the ones it replaced, all kept for the public history. */
export const approvedStates: RevisionState[] = ['published', 'superseded'];

export async function findDatasetById(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<Dataset | undefined> {
  const query = db.select().from(datasets).where(eq(datasets.id, id)).limit(1);
  const [dataset] = options.forUpdate ? await query.for('update') : await query;
  return dataset;
}

export async function findRevisionById(db: Queryable, id: string): Promise<DatasetRevision | undefined> {
  const [revision] = await db.select().from(datasetRevisions).where(eq(datasetRevisions.id, id)).limit(1);
  return revision;
}

export async function findOpenRevision(db: Queryable, datasetId: string): Promise<DatasetRevision | undefined> {
  const [revision] = await db
    .select()
    .from(datasetRevisions)
    .where(and(eq(datasetRevisions.datasetId, datasetId), inArray(datasetRevisions.state, openStates)))
    .limit(1);
  return revision;
}

/** The newest revision that was ever public (published, superseded or withdrawn): the base of a new edit. */
export async function findLatestPublicRevision(db: Queryable, datasetId: string): Promise<DatasetRevision | undefined> {
  const [revision] = await db
    .select()
    .from(datasetRevisions)
    .where(and(eq(datasetRevisions.datasetId, datasetId), inArray(datasetRevisions.state, ['published', 'superseded', 'withdrawn'])))
    .orderBy(desc(datasetRevisions.number))
    .limit(1);
  return revision;
}

export async function nextRevisionNumber(db: Queryable, datasetId: string): Promise<number> {
  const [row] = await db.select({ last: max(datasetRevisions.number) }).from(datasetRevisions).where(eq(datasetRevisions.datasetId, datasetId));
  return (row?.last ?? 0) + 1;
}

export async function insertDatasetWithSlug(db: Queryable, values: typeof datasets.$inferInsert): Promise<Dataset> {
  try {
    const [dataset] = await db.insert(datasets).values(values).returning();
    return dataset;
  } catch (error) {
    if (isUniqueViolation(error)) throw fieldError('slug', 'datasets.slug_taken', 409);
    throw error;
  }
}

export async function updateRevision(db: Queryable, id: string, changes: Partial<NewDatasetRevision>): Promise<DatasetRevision> {
  const [revision] = await db
    .update(datasetRevisions)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(datasetRevisions.id, id))
    .returning();
  return revision;
}

export async function updateDataset(db: Queryable, id: string, changes: Partial<typeof datasets.$inferInsert>): Promise<Dataset> {
  const [dataset] = await db
    .update(datasets)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(datasets.id, id))
    .returning();
  return dataset;
}

/**
 * Datasets of one agency (or all, for DOIT) as the back office lists them: the public revision's
 * title and the revision in the works, if any.
 */
export async function listWorkspaceDatasets(db: Queryable, agencyId: string | null) {
  const open = sql<string | null>`(select r.state from dataset_revisions r where r.dataset_id = ${datasets.id} and r.state in ('draft','pending_review','returned') limit 1)`;
  const openTitle = sql<string | null>`(select r.title from dataset_revisions r where r.dataset_id = ${datasets.id} and r.state in ('draft','pending_review','returned') limit 1)`;
  const latestTitle = sql<string>`(select r.title from dataset_revisions r where r.dataset_id = ${datasets.id} order by r.number desc limit 1)`;
  return db
    .select({
      id: datasets.id,
      slug: datasets.slug,
      agencyName: agencies.name,
      publishedRevisionId: datasets.publishedRevisionId,
      withdrawnAt: datasets.withdrawnAt,
      updatedAt: datasets.updatedAt,
      openState: open,
      title: sql<string>`coalesce(${openTitle}, ${latestTitle})`,
    })
    .from(datasets)
    .innerJoin(agencies, eq(agencies.id, datasets.agencyId))
    .where(agencyId ? eq(datasets.agencyId, agencyId) : undefined)
    .orderBy(desc(datasets.updatedAt));
}

/** Revisions waiting for a state, with their dataset and topic, for the inboxes. */
export async function listRevisionsInState(db: Queryable, states: RevisionState[], agencyId: string | null) {
  return db
    .select({
      revision: datasetRevisions,
      dataset: { id: datasets.id, slug: datasets.slug, agencyId: datasets.agencyId, publishedRevisionId: datasets.publishedRevisionId },
      agencyName: agencies.name,
      topicNames: { vi: topics.nameVi, en: topics.nameEn },
    })
    .from(datasetRevisions)
    .innerJoin(datasets, eq(datasets.id, datasetRevisions.datasetId))
    .innerJoin(agencies, eq(agencies.id, datasets.agencyId))
    .innerJoin(topics, eq(topics.id, datasetRevisions.topicId))
    .where(and(inArray(datasetRevisions.state, states), agencyId ? eq(datasets.agencyId, agencyId) : undefined))
    .orderBy(desc(datasetRevisions.updatedAt));
}

export async function listRevisionsOfDataset(db: Queryable, datasetId: string): Promise<DatasetRevision[]> {
  return db.select().from(datasetRevisions).where(eq(datasetRevisions.datasetId, datasetId)).orderBy(asc(datasetRevisions.number));
}

/** `base`, or `base-2`, `base-3`… whichever no dataset uses yet. */
export async function freeSlug(db: Queryable, base: string): Promise<string> {
  const rows = await db.select({ slug: datasets.slug }).from(datasets).where(sql`${datasets.slug} = ${base} or ${datasets.slug} like ${`${base}-%`}`);
  const taken = new Set(rows.map((row) => row.slug));
  if (!taken.has(base)) return base;
  for (let suffix = 2; ; suffix++) if (!taken.has(`${base}-${suffix}`)) return `${base}-${suffix}`;
}
