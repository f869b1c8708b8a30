import { and, count, desc, eq, inArray, max, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { fieldError } from '../../lib/errors.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { topics } from '../topics/topics.table.ts';
import {
  approvedStates,
  type Dataset,
  type DatasetRevision,
  datasetRevisions,
  datasets,
  type NewDatasetRevision,
  openStates,
  type RevisionState,
} from './datasets.table.ts';

export { approvedStates, openStates };

/** The open states as an SQL list, for subqueries: the same constant as every other query. */
const openStatesSql = sql.join(
  openStates.map((state) => sql`${state}`),
  sql`, `,
);

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
  const open = sql<RevisionState | null>`(select r.state from dataset_revisions r where r.dataset_id = ${datasets.id} and r.state in (${openStatesSql}) limit 1)`;
  const openTitle = sql<string | null>`(select r.title from dataset_revisions r where r.dataset_id = ${datasets.id} and r.state in (${openStatesSql}) limit 1)`;
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

/**
 * Revisions in a state, newest first, with only what an inbox row shows; `limit` stops the read at
 * what is shown (index dataset_revisions_state_updated_idx). agencyId null: every agency.
 */
export async function listRevisionsInState(db: Queryable, state: RevisionState, agencyId: string | null, limit?: number) {
  const query = db
    .select({
      revisionId: datasetRevisions.id,
      title: datasetRevisions.title,
      number: datasetRevisions.number,
      updatedAt: datasetRevisions.updatedAt,
      datasetId: datasets.id,
      agencyName: agencies.name,
      topicNameVi: topics.nameVi,
      topicNameEn: topics.nameEn,
    })
    .from(datasetRevisions)
    .innerJoin(datasets, eq(datasets.id, datasetRevisions.datasetId))
    .innerJoin(agencies, eq(agencies.id, datasets.agencyId))
    .innerJoin(topics, eq(topics.id, datasetRevisions.topicId))
    .where(and(eq(datasetRevisions.state, state), agencyId ? eq(datasets.agencyId, agencyId) : undefined))
    .orderBy(desc(datasetRevisions.updatedAt));
  return limit === undefined ? query : query.limit(limit);
}

/** How many revisions of an agency (or all) are in a state: the number in the back-office menu. */
export async function countRevisionsInState(db: Queryable, state: RevisionState, agencyId: string | null): Promise<number> {
  const [row] = await db
    .select({ total: count() })
    .from(datasetRevisions)
    .innerJoin(datasets, eq(datasets.id, datasetRevisions.datasetId))
    .where(and(eq(datasetRevisions.state, state), agencyId ? eq(datasets.agencyId, agencyId) : undefined));
  return row?.total ?? 0;
}

/** `base`, or `base-2`, `base-3`… whichever no dataset uses yet. */
export async function freeSlug(db: Queryable, base: string): Promise<string> {
  const rows = await db.select({ slug: datasets.slug }).from(datasets).where(sql`${datasets.slug} = ${base} or ${datasets.slug} like ${`${base}-%`}`);
  const taken = new Set(rows.map((row) => row.slug));
  if (!taken.has(base)) return base;
  for (let suffix = 2; ; suffix++) if (!taken.has(`${base}-${suffix}`)) return `${base}-${suffix}`;
}
