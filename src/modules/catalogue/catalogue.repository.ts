import { and, asc, desc, eq, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { fieldError } from '../../lib/errors.ts';
import type { PageRequest } from '../../lib/pagination.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { datasets } from '../datasets/datasets.table.ts';
import { topics } from '../topics/topics.table.ts';
import { type Catalogue, catalogueEntries, catalogues, type NewCatalogueEntry } from './catalogue.table.ts';

export async function listCatalogues(db: Queryable) {
  return db
    .select({ catalogue: catalogues, entryCount: sql<number>`(select count(*)::int from catalogue_entries e where e.catalogue_id = ${catalogues.id})` })
    .from(catalogues)
    .orderBy(desc(catalogues.year));
}

export async function findCatalogue(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<Catalogue | undefined> {
  const query = db.select().from(catalogues).where(eq(catalogues.id, id)).limit(1);
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function findCatalogueByYear(db: Queryable, year: number): Promise<Catalogue | undefined> {
  const [row] = await db.select().from(catalogues).where(eq(catalogues.year, year)).limit(1);
  return row;
}

/** The catalogue in force in a year: the approved one of that year or, failing that, the newest approved before it. */
export async function findCatalogueInForce(db: Queryable, year: number): Promise<Catalogue | undefined> {
  const [row] = await db
    .select()
    .from(catalogues)
    .where(and(lte(catalogues.year, year), sql`${catalogues.status} in ('approved', 'superseded')`))
    .orderBy(sql`${catalogues.status} = 'approved' desc`, desc(catalogues.year))
    .limit(1);
  return row;
}

/** The newest catalogue before `year`, which a new year's catalogue copies. */
export async function findLatestBefore(db: Queryable, year: number): Promise<Catalogue | undefined> {
  const [row] = await db.select().from(catalogues).where(sql`${catalogues.year} < ${year}`).orderBy(desc(catalogues.year)).limit(1);
  return row;
}

export async function insertCatalogue(db: Queryable, year: number): Promise<Catalogue> {
  try {
    const [row] = await db.insert(catalogues).values({ year }).returning();
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) throw fieldError('year', 'catalogue.year_taken', 409, { year });
    throw error;
  }
}

export async function updateCatalogue(db: Queryable, id: string, changes: Partial<typeof catalogues.$inferInsert>): Promise<Catalogue> {
  const [row] = await db.update(catalogues).set({ ...changes, updatedAt: new Date() }).where(eq(catalogues.id, id)).returning();
  return row;
}

/** Approving a year's catalogue retires the older approved ones. */
export async function supersedeApprovedBefore(db: Queryable, year: number): Promise<void> {
  await db
    .update(catalogues)
    .set({ status: 'superseded', updatedAt: new Date() })
    .where(and(eq(catalogues.status, 'approved'), sql`${catalogues.year} < ${year}`));
}

export async function copyEntries(db: Queryable, fromId: string, toId: string): Promise<void> {
  await db.execute(sql`
    insert into catalogue_entries (catalogue_id, number, title, description, agency_id, topic_id, first_publication_date, frequency, notes, dataset_id)
    select ${toId}, number, title, description, agency_id, topic_id, first_publication_date, frequency, notes, dataset_id
    from catalogue_entries where catalogue_id = ${fromId}`);
}

export async function replaceEntries(db: Queryable, catalogueId: string, rows: Omit<NewCatalogueEntry, 'catalogueId'>[]): Promise<void> {
  await db.delete(catalogueEntries).where(eq(catalogueEntries.catalogueId, catalogueId));
  // Inserted in chunks: PostgreSQL caps the number of parameters of one statement.
  for (let start = 0; start < rows.length; start += 500) {
    await db.insert(catalogueEntries).values(rows.slice(start, start + 500).map((row) => ({ ...row, catalogueId })));
  }
}

export async function insertEntry(db: Queryable, values: NewCatalogueEntry) {
  try {
    const [row] = await db.insert(catalogueEntries).values(values).returning();
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) throw fieldError('number', 'catalogue.number_taken', 409, { value: values.number });
    throw error;
  }
}

export async function updateEntry(db: Queryable, id: string, changes: Partial<NewCatalogueEntry>) {
  try {
    const [row] = await db.update(catalogueEntries).set(changes).where(eq(catalogueEntries.id, id)).returning();
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) throw fieldError('number', 'catalogue.number_taken', 409, { value: changes.number ?? '' });
    throw error;
  }
}

export async function deleteEntry(db: Queryable, id: string) {
  await db.delete(catalogueEntries).where(eq(catalogueEntries.id, id));
}

export async function findEntry(db: Queryable, id: string) {
  const [row] = await db.select().from(catalogueEntries).where(eq(catalogueEntries.id, id)).limit(1);
  return row;
}

export interface EntryFilter {
  agencyId?: string;
  topicId?: string;
  published?: boolean;
}

/** An entry counts as published when its dataset is online (a withdrawn dataset puts it back to planned). */
const isPublished = sql<boolean>`(${datasets.publishedRevisionId} is not null and ${datasets.withdrawnAt} is null)`;

function entryConditions(catalogueId: string, filter: EntryFilter): SQL | undefined {
  const conditions: SQL[] = [eq(catalogueEntries.catalogueId, catalogueId)];
  if (filter.agencyId) conditions.push(eq(catalogueEntries.agencyId, filter.agencyId));
  if (filter.topicId) conditions.push(eq(catalogueEntries.topicId, filter.topicId));
  if (filter.published === true) conditions.push(isPublished);
  if (filter.published === false) conditions.push(sql`not coalesce(${isPublished}, false)`);
  return and(...conditions);
}

const entryColumns = {
  entry: catalogueEntries,
  agencyName: agencies.name,
  agencySlug: agencies.slug,
  topicNameVi: topics.nameVi,
  topicNameEn: topics.nameEn,
  topicSlug: topics.slug,
  datasetSlug: datasets.slug,
  published: sql<boolean>`coalesce(${isPublished}, false)`,
};

/** Entries with their agency, topic and dataset, in catalogue order; all of them when no page is given. */
export async function listEntries(db: Queryable, catalogueId: string, filter: EntryFilter = {}, page?: PageRequest) {
  const query = db
    .select(entryColumns)
    .from(catalogueEntries)
    .innerJoin(agencies, eq(agencies.id, catalogueEntries.agencyId))
    .innerJoin(topics, eq(topics.id, catalogueEntries.topicId))
    .leftJoin(datasets, eq(datasets.id, catalogueEntries.datasetId))
    .where(entryConditions(catalogueId, filter))
    .orderBy(asc(catalogueEntries.number));
  return page ? query.limit(page.pageSize).offset(page.offset) : query;
}

export async function countEntries(db: Queryable, catalogueId: string, filter: EntryFilter = {}): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(catalogueEntries)
    .leftJoin(datasets, eq(datasets.id, catalogueEntries.datasetId))
    .where(entryConditions(catalogueId, filter));
  return row.count;
}

export type EntryListRow = Awaited<ReturnType<typeof listEntries>>[number];

/** Links entries to datasets by TT (the demo's datasets carry the catalogue number). */
export async function linkEntriesByCatalogueNumber(db: Queryable, catalogueId: string): Promise<void> {
  await db.execute(sql`
    update catalogue_entries e set dataset_id = d.id
    from datasets d
    where e.catalogue_id = ${catalogueId} and d.catalogue_number = e.number and d.agency_id = e.agency_id and e.dataset_id is null`);
}

export async function entriesWithoutDataset(db: Queryable, catalogueId: string, agencyId: string) {
  return db
    .select()
    .from(catalogueEntries)
    .where(and(eq(catalogueEntries.catalogueId, catalogueId), eq(catalogueEntries.agencyId, agencyId), isNull(catalogueEntries.datasetId)))
    .orderBy(asc(catalogueEntries.number));
}

export async function setCatalogueNumber(db: Queryable, datasetId: string, number: number) {
  await db.update(datasets).set({ catalogueNumber: number }).where(eq(datasets.id, datasetId));
}
