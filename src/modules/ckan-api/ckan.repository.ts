import { and, asc, count, desc, eq, inArray, isNotNull, not, or, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { isUuid } from '../../lib/ids.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { datasetRevisions, datasets } from '../datasets/datasets.table.ts';
import { type Resource, resources } from '../resources/resources.table.ts';
import { topics } from '../topics/topics.table.ts';
import type { Match, QueryTree, SortKey, Term } from './ckan-query.ts';

/**
 * Reads for the Action API. Every filter a client sends arrives as a parsed tree (ckan-query.ts)
 * and becomes drizzle conditions with bound parameters; only published revisions are read unless a
 * caller asks for one dataset's revision in the works by id.
 */

/** CKAN's naive UTC timestamp with microseconds, written by the database (a JavaScript Date keeps milliseconds only). */
const ckanStamp = (column: SQL | typeof datasets.createdAt) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

export const packageColumns = {
  dataset: datasets,
  revision: datasetRevisions,
  agency: agencies,
  topic: topics,
  stamps: {
    created: ckanStamp(datasets.createdAt),
    modified: ckanStamp(sql`coalesce(${datasetRevisions.publishedAt}, ${datasetRevisions.updatedAt})`),
  },
};

export type PackageRow = {
  dataset: typeof datasets.$inferSelect;
  revision: typeof datasetRevisions.$inferSelect;
  agency: typeof agencies.$inferSelect;
  topic: typeof topics.$inferSelect;
  stamps: { created: string; modified: string };
};

function selectPackages(db: Queryable, revisionJoin: SQL) {
  return db
    .select(packageColumns)
    .from(datasets)
    .innerJoin(datasetRevisions, revisionJoin)
    .innerJoin(agencies, eq(agencies.id, datasets.agencyId))
    .innerJoin(topics, eq(topics.id, datasetRevisions.topicId));
}

const publishedJoin = eq(datasetRevisions.id, datasets.publishedRevisionId);

/** The licence a revision names, or the province's terms when it names none. */
export const defaultLicenceId = 'vn-province-open-data';
const licenceId = sql<string>`coalesce(nullif(${datasetRevisions.licence}, ''), ${defaultLicenceId})`;
/** What the public list calls "modified": when the public content last changed. */
export const modifiedColumn = sql`coalesce(${datasetRevisions.publishedAt}, ${datasetRevisions.updatedAt})`;

function rangeCondition(column: SQL | typeof datasets.createdAt, match: Extract<Match, { kind: 'range' }>): SQL {
  const parts: SQL[] = [];
  if (match.from) parts.push(sql`${column} >= ${match.from.toISOString()}::timestamptz`);
  if (match.to) parts.push(sql`${column} <= ${match.to.toISOString()}::timestamptz`);
  return parts.length > 0 ? (and(...parts) as SQL) : sql`true`;
}

function hasFormat(value: string | null): SQL {
  const format = value === null ? sql`true` : sql`upper(${resources.format}) = upper(${value})`;
  return sql`exists (select 1 from ${resources} where ${resources.revisionId} = ${datasetRevisions.id} and ${format})`;
}

function fieldCondition(term: Extract<Term, { kind: 'field' }>): SQL {
  const { field, match } = term;
  if (match.kind === 'range') {
    return rangeCondition(field === 'metadata_created' ? datasets.createdAt : modifiedColumn, match);
  }
  const value = match.kind === 'equals' ? match.value : null;
  const always = sql`true`;
  switch (field) {
    case 'id':
      return value === null ? always : isUuid(value) ? eq(datasets.id, value) : sql`false`;
    case 'name':
      return value === null ? always : eq(datasets.slug, value);
    case 'title':
      return value === null ? always : eq(datasetRevisions.title, value);
    case 'organization':
      return value === null ? always : eq(agencies.slug, value);
    case 'owner_org':
      return value === null ? always : isUuid(value) ? eq(datasets.agencyId, value) : eq(agencies.slug, value);
    case 'groups':
      return value === null ? always : eq(topics.slug, value);
    case 'tags':
      return value === null ? sql`cardinality(${datasetRevisions.tags}) > 0` : sql`${value} = any(${datasetRevisions.tags})`;
    case 'res_format':
      return hasFormat(value);
    case 'license_id':
      return value === null ? always : sql`${licenceId} = ${value}`;
    case 'frequency':
      return value === null ? always : sql`${datasetRevisions.updateFrequency} = ${value}`;
    case 'type':
    case 'dataset_type':
      return value === null || value === 'dataset' ? always : sql`false`;
    case 'state':
      return value === null || value === 'active' ? always : sql`false`;
    case 'capacity':
      return value === null || value === 'public' ? always : sql`false`;
    default:
      return sql`false`;
  }
}

/** Full text: every word must appear (diacritics ignored) in the title, description or a tag. */
function textCondition(text: string): SQL {
  const haystack = sql`portal_unaccent(lower(${datasetRevisions.title} || ' ' || ${datasetRevisions.description} || ' ' || array_to_string(${datasetRevisions.tags}, ' ')))`;
  const words = text.split(/\s+/).filter(Boolean);
  const parts = words.map((word) => sql`${haystack} like '%' || portal_unaccent(lower(${word})) || '%'`);
  return parts.length > 0 ? (and(...parts) as SQL) : sql`true`;
}

function termCondition(term: Term): SQL {
  const condition = term.kind === 'text' ? textCondition(term.text) : fieldCondition(term);
  return term.negate ? not(condition) : condition;
}

export function treeCondition(tree: QueryTree): SQL | undefined {
  const groups = tree.map((group) => (group.length === 1 ? termCondition(group[0]) : (or(...group.map(termCondition)) as SQL)));
  return groups.length > 0 ? and(...groups) : undefined;
}

/** Ranks title matches above other matches for `score desc`, then the newest. */
function scoreOf(textTerms: string[]): SQL | null {
  // Without words every match scores the same: the next sort key decides.
  if (textTerms.length === 0) return null;
  const title = sql`portal_unaccent(lower(${datasetRevisions.title}))`;
  return sql.join(
    textTerms.map((word) => sql`(case when ${title} like '%' || portal_unaccent(lower(${word})) || '%' then 1 else 0 end)`),
    sql` + `,
  );
}

function orderOf(keys: SortKey[], textTerms: string[]): SQL[] {
  const order: SQL[] = [];
  for (const key of keys) {
    const column =
      key.field === 'id'
        ? datasets.id
        : key.field === 'name'
          ? datasets.slug
          : key.field === 'title' || key.field === 'title_string'
            ? datasetRevisions.title
            : key.field === 'metadata_created'
              ? datasets.createdAt
              : key.field === 'metadata_modified'
                ? modifiedColumn
                : scoreOf(textTerms);
    if (column === null) continue;
    order.push(key.descending ? desc(column) : asc(column));
  }
  // A stable tie-breaker, so that pages never repeat or skip a dataset.
  order.push(asc(datasets.id));
  return order;
}

export interface PackageSearch {
  where: SQL | undefined;
  sort: SortKey[];
  textTerms: string[];
  rows: number;
  start: number;
}

export async function searchPublishedPackages(db: Queryable, search: PackageSearch): Promise<{ count: number; rows: PackageRow[] }> {
  const where = and(isNotNull(datasets.publishedRevisionId), search.where);
  const base = () =>
    db
      .select({ id: datasets.id })
      .from(datasets)
      .innerJoin(datasetRevisions, publishedJoin)
      .innerJoin(agencies, eq(agencies.id, datasets.agencyId))
      .innerJoin(topics, eq(topics.id, datasetRevisions.topicId))
      .where(where);
  const [[{ total }], page] = await Promise.all([
    db.select({ total: count() }).from(base().as('matches')),
    search.rows === 0
      ? Promise.resolve([])
      : base()
          .orderBy(...orderOf(search.sort, search.textTerms))
          .limit(search.rows)
          .offset(search.start),
  ]);
  const ids = page.map((row) => row.id);
  return { count: total, rows: await findPublishedPackagesByIds(db, ids) };
}

export type FacetField = 'organization' | 'groups' | 'tags' | 'res_format' | 'license_id' | 'frequency';
export const facetFields: FacetField[] = ['organization', 'groups', 'tags', 'res_format', 'license_id', 'frequency'];

/** Counts of each value of a facet among the matches, largest first. */
export async function countFacet(db: Queryable, where: SQL | undefined, field: FacetField, limit: number): Promise<Array<{ value: string; label: string; count: number }>> {
  const matched = and(isNotNull(datasets.publishedRevisionId), where);
  // Tags and formats have several values per dataset: each is counted once per dataset.
  const value: Record<FacetField, SQL> = {
    organization: sql`${agencies.slug}`,
    groups: sql`${topics.slug}`,
    license_id: licenceId,
    frequency: sql`${datasetRevisions.updateFrequency}`,
    tags: sql`unnest(${datasetRevisions.tags})`,
    res_format: sql`upper(${resources.format})`,
  };
  const label: Partial<Record<FacetField, SQL>> = { organization: sql`${agencies.name}`, groups: sql`${topics.nameVi}` };
  let values = db
    .select({ datasetId: datasets.id, value: value[field].as('value'), label: (label[field] ?? value[field]).as('label') })
    .from(datasets)
    .innerJoin(datasetRevisions, publishedJoin)
    .innerJoin(agencies, eq(agencies.id, datasets.agencyId))
    .innerJoin(topics, eq(topics.id, datasetRevisions.topicId))
    .$dynamic();
  if (field === 'res_format') values = values.innerJoin(resources, eq(resources.revisionId, datasetRevisions.id));
  const matches = values.where(matched).as('matches');
  const total = sql<number>`count(distinct ${matches.datasetId})::int`;
  const rows = await db
    .select({ value: matches.value, label: sql<string>`min(${matches.label})`, count: total })
    .from(matches)
    .groupBy(matches.value)
    .orderBy(desc(total), asc(matches.value))
    .limit(limit);
  return rows.map((row) => ({ value: String(row.value), label: String(row.label), count: Number(row.count) }));
}

/** Published datasets in the order of the ids given. */
export async function findPublishedPackagesByIds(db: Queryable, ids: string[]): Promise<PackageRow[]> {
  if (ids.length === 0) return [];
  const rows = await selectPackages(db, publishedJoin).where(inArray(datasets.id, ids));
  const position = new Map(ids.map((id, index) => [id, index]));
  return rows.sort((a, b) => (position.get(a.dataset.id) ?? 0) - (position.get(b.dataset.id) ?? 0));
}

/** One published dataset by id or name (CKAN accepts either). */
export async function findPublishedPackage(db: Queryable, idOrName: string): Promise<PackageRow | undefined> {
  const key = isUuid(idOrName) ? eq(datasets.id, idOrName) : eq(datasets.slug, idOrName);
  const [row] = await selectPackages(db, publishedJoin).where(key).limit(1);
  return row;
}

/** A dataset with a given revision (e.g. the draft an API client is working on). */
export async function findPackageAtRevision(db: Queryable, revisionId: string): Promise<PackageRow | undefined> {
  const [row] = await selectPackages(db, eq(datasetRevisions.datasetId, datasets.id)).where(eq(datasetRevisions.id, revisionId)).limit(1);
  return row;
}

/** Any dataset by id or name, published or not (writers look up their own drafts). */
export async function findDatasetByIdOrName(db: Queryable, idOrName: string) {
  const key = isUuid(idOrName) ? eq(datasets.id, idOrName) : eq(datasets.slug, idOrName);
  const [row] = await db.select().from(datasets).where(key).limit(1);
  return row;
}

/** The files of several revisions at once, by revision id, in their order. */
export async function listResourcesOfRevisions(db: Queryable, revisionIds: string[]): Promise<Map<string, Resource[]>> {
  const byRevision = new Map<string, Resource[]>(revisionIds.map((id) => [id, []]));
  if (revisionIds.length === 0) return byRevision;
  const rows = await db
    .select()
    .from(resources)
    .where(inArray(resources.revisionId, revisionIds))
    .orderBy(asc(resources.position), asc(resources.name));
  for (const row of rows) byRevision.get(row.revisionId)?.push(row);
  return byRevision;
}

/**
 * A resource of a published revision, by its API id (the lineage: it stays the same across
 * revisions) or by the row id of the current revision.
 */
export async function findPublishedResourceByApiId(db: Queryable, id: string): Promise<{ resource: Resource; datasetId: string } | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select({ resource: resources, datasetId: datasets.id })
    .from(resources)
    .innerJoin(datasets, eq(datasets.publishedRevisionId, resources.revisionId))
    .where(or(eq(resources.lineageId, id), eq(resources.id, id)))
    .limit(1);
  return row;
}

/** The dataset a resource (by API id or row id) belongs to, with one of its rows, for writers. */
export async function findDatasetOfLineage(db: Queryable, lineageId: string): Promise<{ datasetId: string; resourceId: string; lineageId: string } | undefined> {
  if (!isUuid(lineageId)) return undefined;
  const [row] = await db
    .select({ datasetId: datasetRevisions.datasetId, resourceId: resources.id, lineageId: resources.lineageId })
    .from(resources)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, resources.revisionId))
    .where(or(eq(resources.lineageId, lineageId), eq(resources.id, lineageId)))
    .limit(1);
  return row;
}

export async function listPublishedNames(db: Queryable, limit: number, offset: number): Promise<string[]> {
  const rows = await db
    .select({ slug: datasets.slug })
    .from(datasets)
    .where(isNotNull(datasets.publishedRevisionId))
    .orderBy(asc(datasets.slug))
    .limit(limit)
    .offset(offset);
  return rows.map((row) => row.slug);
}

/** Ids of published datasets, most recently changed first (current_package_list_with_resources). */
export async function listRecentlyModifiedIds(db: Queryable, limit: number, offset: number): Promise<string[]> {
  const rows = await db
    .select({ id: datasets.id })
    .from(datasets)
    .innerJoin(datasetRevisions, publishedJoin)
    .orderBy(desc(modifiedColumn), asc(datasets.id))
    .limit(limit)
    .offset(offset);
  return rows.map((row) => row.id);
}

/** Tags of published datasets, alphabetically; `query` keeps those containing it. */
export async function listPublishedTags(db: Queryable, query: string | null): Promise<string[]> {
  const tag = sql<string>`unnest(${datasetRevisions.tags})`;
  const inner = db.select({ tag: tag.as('tag') }).from(datasets).innerJoin(datasetRevisions, publishedJoin).as('tags');
  const rows = await db
    .selectDistinct({ tag: sql<string>`tag` })
    .from(inner)
    .where(query ? sql`tag like '%' || ${query.toLowerCase()} || '%'` : undefined)
    .orderBy(asc(sql`tag`));
  return rows.map((row) => row.tag);
}

export async function listLicencesInUse(db: Queryable): Promise<string[]> {
  const rows = await db
    .selectDistinct({ licence: datasetRevisions.licence })
    .from(datasets)
    .innerJoin(datasetRevisions, publishedJoin)
    .where(sql`${datasetRevisions.licence} <> ''`)
    .orderBy(asc(datasetRevisions.licence));
  return rows.map((row) => row.licence);
}

/** Published datasets per agency and per topic, for package_count. */
export async function countPublishedBy(db: Queryable, by: 'agency' | 'topic'): Promise<Map<string, number>> {
  const key = by === 'agency' ? datasets.agencyId : datasetRevisions.topicId;
  const rows = await db.select({ key, total: count() }).from(datasets).innerJoin(datasetRevisions, publishedJoin).groupBy(key);
  return new Map(rows.map((row) => [row.key, row.total]));
}

/** Ids of an agency's or a topic's published datasets, newest change first (for *_show include_datasets). */
export async function listPublishedIdsOf(db: Queryable, by: 'agency' | 'topic', id: string, limit: number): Promise<string[]> {
  const key = by === 'agency' ? eq(datasets.agencyId, id) : eq(datasetRevisions.topicId, id);
  const rows = await db
    .select({ id: datasets.id })
    .from(datasets)
    .innerJoin(datasetRevisions, publishedJoin)
    .where(key)
    .orderBy(desc(modifiedColumn), asc(datasets.id))
    .limit(limit);
  return rows.map((row) => row.id);
}
