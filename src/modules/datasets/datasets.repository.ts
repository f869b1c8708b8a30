import { and, asc, count, desc, eq, inArray, isNotNull, or, type SQL, sql } from 'drizzle-orm';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import { type Queryable, rowsOf } from '../../db/client.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { catalogueEntries } from '../catalogue/catalogue.table.ts';
import { feedback } from '../feedback/feedback.table.ts';
import { resourceLinkChecks } from '../quality/quality.table.ts';
import { type Resource, resources } from '../resources/resources.table.ts';
import { resourceDownloads } from '../stats/stats.table.ts';
import { topics } from '../topics/topics.table.ts';
import { type DatasetRevision, datasetRevisions, datasets } from './datasets.table.ts';
import { approvedStates } from './revisions.repository.ts';

/** A published dataset as the public sees it: the dataset, its published revision, agency and topic. */
export type PublishedDatasetRow = Awaited<ReturnType<typeof selectPublished<Record<never, never>>>>[number];

export interface PublishedFilter {
  topicId?: string;
  agencyId?: string;
}

export type PublishedSort = 'latest' | 'name';

function selectPublished<Extra extends SelectedFields = Record<never, never>>(db: Queryable, extra?: Extra) {
  return db
    .select({
      dataset: datasets,
      revision: datasetRevisions,
      agency: { id: agencies.id, slug: agencies.slug, name: agencies.name },
      topic: { id: topics.id, slug: topics.slug, nameVi: topics.nameVi, nameEn: topics.nameEn },
      ...(extra as Extra),
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

/** The newest first; a revision without a date (never expected) goes last instead of first. */
const latestOrder = [sql`${datasetRevisions.publishedAt} desc nulls last`, asc(datasetRevisions.title)];

/**
 * One page of published datasets (the total comes from the catalogue counts). The page is picked
 * from narrow columns first, then only its rows are read whole: sorting whole rows of a large agency
 * (11k at 100k datasets) carried every description through the sort. A topic's page by title walks
 * the (topic_id, title) index and stops after the page.
 */
export async function listPublished(
  db: Queryable,
  filter: PublishedFilter,
  options: { limit: number; offset: number; sort?: PublishedSort },
): Promise<PublishedDatasetRow[]> {
  const order = options.sort === 'name' ? [asc(datasetRevisions.title)] : latestOrder;
  const page = db
    .select({ id: datasets.id })
    .from(datasets)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, datasets.publishedRevisionId))
    .where(whereOf(filter))
    .orderBy(...order)
    .limit(options.limit)
    .offset(options.offset);
  return selectPublished(db)
    .where(inArray(datasets.id, page))
    .orderBy(...order);
}

/** The ids of an agency's published datasets by title: the order of its public page, in one narrow pass. */
export async function listPublishedIdsOfAgencyByTitle(db: Queryable, agencyId: string): Promise<string[]> {
  const rows = await db
    .select({ id: datasets.id })
    .from(datasets)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, datasets.publishedRevisionId))
    .where(eq(datasets.agencyId, agencyId))
    .orderBy(asc(datasetRevisions.title), asc(datasets.id));
  return rows.map((row) => row.id);
}

/** Published datasets in the order of the ids given; an id no longer public is left out. */
export async function listPublishedByIds(db: Queryable, ids: string[]): Promise<PublishedDatasetRow[]> {
  if (ids.length === 0) return [];
  const rows = await selectPublished(db).where(inArray(datasets.id, ids));
  const position = new Map(ids.map((id, index) => [id, index]));
  return rows.sort((a, b) => (position.get(a.dataset.id) ?? 0) - (position.get(b.dataset.id) ?? 0));
}

/**
 * The most recently published datasets, without a total: walks the published_at index and stops
 * after `limit` rows (the home page).
 */
export async function listLatestPublished(db: Queryable, limit: number): Promise<PublishedDatasetRow[]> {
  return selectPublished(db).orderBy(...latestOrder).limit(limit);
}

/**
 * The public datasets downloaded most, with their totals (all files, all revisions), largest first.
 * The few winners are picked from the download counts alone, then joined to what the list shows.
 */
export async function listMostDownloadedPublished(db: Queryable, limit: number): Promise<Array<{ row: PublishedDatasetRow; downloads: number }>> {
  const total = sql<string>`sum(${resourceDownloads.downloads})`;
  const top = db
    .select({ datasetId: resourceDownloads.datasetId, downloads: total.as('downloads') })
    .from(resourceDownloads)
    .innerJoin(datasets, eq(datasets.id, resourceDownloads.datasetId))
    .where(isNotNull(datasets.publishedRevisionId))
    .groupBy(resourceDownloads.datasetId)
    .orderBy(desc(total), asc(resourceDownloads.datasetId))
    .limit(Math.max(0, Math.floor(limit)))
    .as('top');
  const rows = await selectPublished(db, { downloads: top.downloads })
    .innerJoin(top, eq(top.datasetId, datasets.id))
    .orderBy(desc(top.downloads), asc(top.datasetId));
  return rows.map(({ downloads, ...row }) => ({ row, downloads: Number(downloads) }));
}

export async function findPublishedBySlug(db: Queryable, slug: string): Promise<PublishedDatasetRow | undefined> {
  const [row] = await selectPublished(db).where(eq(datasets.slug, slug)).limit(1);
  return row;
}

export interface PublishedDatasetWithHistory {
  row: PublishedDatasetRow;
  /** The approved revisions (the current one and those it replaced), newest first. */
  approved: DatasetRevision[];
  /** The files of each of those revisions, in their order, by revision id. */
  filesOf: Map<string, Resource[]>;
  /** Downloads of each file's lineage, by resource id. */
  downloadsOf: Map<string, number>;
  /** The last check of each file's lineage (links), by resource id; absent when never checked. */
  linkChecksOf: Map<string, { ok: boolean; status: number | null; url: string }>;
  /** The frequency the newest catalogue entry linking the dataset sets, or null (quality score). */
  entryFrequency: string | null;
  /** Whether any feedback about the dataset is public (not hidden): without it the page asks for none. */
  hasPublicFeedback: boolean;
}

/**
 * A published dataset with its whole public history in one query: one row per file of each approved
 * revision (or one for a revision without files), with the downloads and the last link check of the
 * file's lineage, the frequency its catalogue entry sets and whether it has public feedback. The
 * dataset page used to ask for the dataset, its revisions, the files of each revision and their
 * counts one after another, then the quality badge for the same dataset, revision and files again
 * (five statements): on PGlite every statement is planned and run on the main thread, and each
 * planning probes every table's size, so the page costs what its statements cost.
 */
function historyQuery(db: Queryable) {
  return db
    .select({
      dataset: datasets,
      revision: datasetRevisions,
      agency: { id: agencies.id, slug: agencies.slug, name: agencies.name },
      topic: { id: topics.id, slug: topics.slug, nameVi: topics.nameVi, nameEn: topics.nameEn },
      resource: resources,
      downloads: resourceDownloads.downloads,
      check: { ok: resourceLinkChecks.ok, status: resourceLinkChecks.status, url: resourceLinkChecks.url },
      // The same choice as quality's entryFrequencies: the newest entry that sets a frequency.
      entryFrequency: sql<string | null>`(
        select ${catalogueEntries.frequency} from ${catalogueEntries}
        where ${catalogueEntries.datasetId} = ${datasets.id} and ${catalogueEntries.frequency} is not null
        order by ${catalogueEntries.createdAt} desc limit 1)`,
      // What the public feedback list of the page filters on (feedback's whereOf with hidden excluded).
      hasPublicFeedback: sql<boolean>`exists (
        select 1 from ${feedback} where ${feedback.datasetId} = ${datasets.id} and ${feedback.hiddenAt} is null)`,
    })
    .from(datasets)
    .innerJoin(agencies, eq(agencies.id, datasets.agencyId))
    .innerJoin(
      datasetRevisions,
      and(
        eq(datasetRevisions.datasetId, datasets.id),
        or(eq(datasetRevisions.id, datasets.publishedRevisionId), inArray(datasetRevisions.state, approvedStates)),
      ),
    )
    .innerJoin(topics, eq(topics.id, datasetRevisions.topicId))
    .leftJoin(resources, eq(resources.revisionId, datasetRevisions.id))
    .leftJoin(resourceDownloads, eq(resourceDownloads.lineageId, resources.lineageId))
    .leftJoin(resourceLinkChecks, eq(resourceLinkChecks.lineageId, resources.lineageId))
    .where(and(eq(datasets.slug, sql.placeholder('slug')), isNotNull(datasets.publishedRevisionId)))
    .orderBy(desc(datasetRevisions.number), asc(resources.position), asc(resources.name))
    .prepare('dataset_page_history');
}

// Built once per database handle (or transaction): building the query's SQL text from its parts cost
// as much as a tenth of the page. The name also lets node-postgres keep it prepared per connection.
const historyQueries = new WeakMap<Queryable, ReturnType<typeof historyQuery>>();

export async function findPublishedWithHistory(db: Queryable, slug: string): Promise<PublishedDatasetWithHistory | undefined> {
  let query = historyQueries.get(db);
  if (!query) {
    query = historyQuery(db);
    historyQueries.set(db, query);
  }
  const rows = await query.execute({ slug });
  const current = rows.find((entry) => entry.revision.id === entry.dataset.publishedRevisionId);
  if (!current) return undefined;
  const approved: DatasetRevision[] = [];
  const filesOf = new Map<string, Resource[]>();
  const downloadsOf = new Map<string, number>();
  const linkChecksOf = new Map<string, { ok: boolean; status: number | null; url: string }>();
  for (const entry of rows) {
    if (!filesOf.has(entry.revision.id)) {
      filesOf.set(entry.revision.id, []);
      if (approvedStates.includes(entry.revision.state)) approved.push(entry.revision);
    }
    if (!entry.resource) continue;
    filesOf.get(entry.revision.id)?.push(entry.resource);
    downloadsOf.set(entry.resource.id, Number(entry.downloads ?? 0));
    if (entry.check) linkChecksOf.set(entry.resource.id, entry.check);
  }
  const { dataset, revision, agency, topic } = current;
  return {
    row: { dataset, revision, agency, topic },
    approved,
    filesOf,
    downloadsOf,
    linkChecksOf,
    entryFrequency: current.entryFrequency,
    hasPublicFeedback: Boolean(current.hasPublicFeedback),
  };
}

export interface PublishedCounts {
  byTopic: Map<string, number>;
  byAgency: Map<string, number>;
  /** Per topic group and agency together, for a page filtered by both. */
  byTopicAndAgency: Array<{ topicId: string; agencyId: string; total: number }>;
  total: number;
}

/**
 * Published datasets per topic group and per agency, and in all, from one pass over the catalogue:
 * one join of datasets with revisions instead of one per count.
 */
export async function countPublished(db: Queryable): Promise<PublishedCounts> {
  const rows = await db
    .select({ topicId: datasetRevisions.topicId, agencyId: datasets.agencyId, total: count() })
    .from(datasets)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, datasets.publishedRevisionId))
    .groupBy(datasetRevisions.topicId, datasets.agencyId);
  const counts: PublishedCounts = { byTopic: new Map(), byAgency: new Map(), byTopicAndAgency: rows, total: 0 };
  for (const row of rows) {
    counts.byTopic.set(row.topicId, (counts.byTopic.get(row.topicId) ?? 0) + row.total);
    counts.byAgency.set(row.agencyId, (counts.byAgency.get(row.agencyId) ?? 0) + row.total);
    counts.total += row.total;
  }
  return counts;
}

/**
 * When the catalogue and the download counts last changed: publishing, withdrawing and every edit of
 * a dataset stamp datasets.updated_at, and every flush of the counters stamps resource_downloads.
 * Two index probes; text keeps the microseconds a JavaScript Date would drop.
 */
export async function readCatalogueStamp(db: Queryable): Promise<{ catalogue: string; downloads: string }> {
  const result = await db.execute(sql`
    select (select max(${datasets.updatedAt}) from ${datasets})::text as catalogue,
           (select max(${resourceDownloads.updatedAt}) from ${resourceDownloads})::text as downloads`);
  const [row] = rowsOf<{ catalogue: string | null; downloads: string | null }>(result);
  return { catalogue: row?.catalogue ?? '', downloads: row?.downloads ?? '' };
}

export async function countDatasets(db: Queryable): Promise<number> {
  const [{ total }] = await db.select({ total: count() }).from(datasets);
  return total;
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
