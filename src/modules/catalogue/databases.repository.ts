import { asc, eq, inArray, isNotNull, and, isNull } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { datasetRevisions, datasets } from '../datasets/datasets.table.ts';
import { databaseCategories, type DatabaseCategory, type ProvinceDatabase, provinceDatabases } from './databases.table.ts';

export interface DatabaseWithCategories {
  database: ProvinceDatabase;
  ownerName: string;
  ownerSlug: string;
  categories: Array<DatabaseCategory & { datasetSlug: string | null; datasetTitle: string | null; datasetOnline: boolean }>;
}

/** Databases with their categories; a category's dataset counts as online when it is published and not withdrawn. */
export async function listDatabases(db: Queryable, id?: string): Promise<DatabaseWithCategories[]> {
  const base = db
    .select({ database: provinceDatabases, ownerName: agencies.name, ownerSlug: agencies.slug })
    .from(provinceDatabases)
    .innerJoin(agencies, eq(agencies.id, provinceDatabases.ownerAgencyId));
  const rows = await (id ? base.where(eq(provinceDatabases.id, id)) : base).orderBy(asc(agencies.name), asc(provinceDatabases.name));
  if (rows.length === 0) return [];
  const categories = await db
    .select({ category: databaseCategories, datasetSlug: datasets.slug, datasetTitle: datasetRevisions.title, withdrawnAt: datasets.withdrawnAt })
    .from(databaseCategories)
    .leftJoin(datasets, eq(datasets.id, databaseCategories.datasetId))
    .leftJoin(datasetRevisions, eq(datasetRevisions.id, datasets.publishedRevisionId))
    .where(inArray(databaseCategories.databaseId, rows.map((row) => row.database.id)))
    .orderBy(asc(databaseCategories.position));
  return rows.map((row) => ({
    ...row,
    categories: categories
      .filter((item) => item.category.databaseId === row.database.id)
      .map((item) => ({ ...item.category, datasetSlug: item.datasetSlug, datasetTitle: item.datasetTitle, datasetOnline: Boolean(item.datasetTitle) && !item.withdrawnAt })),
  }));
}

export async function findDatabase(db: Queryable, id: string): Promise<ProvinceDatabase | undefined> {
  const [row] = await db.select().from(provinceDatabases).where(eq(provinceDatabases.id, id)).limit(1);
  return row;
}

export async function insertDatabase(db: Queryable, values: typeof provinceDatabases.$inferInsert): Promise<ProvinceDatabase> {
  const [row] = await db.insert(provinceDatabases).values(values).returning();
  return row;
}

export async function updateDatabase(db: Queryable, id: string, values: Partial<typeof provinceDatabases.$inferInsert>): Promise<void> {
  await db.update(provinceDatabases).set({ ...values, updatedAt: new Date() }).where(eq(provinceDatabases.id, id));
}

export async function deleteDatabase(db: Queryable, id: string): Promise<void> {
  await db.delete(provinceDatabases).where(eq(provinceDatabases.id, id));
}

export async function replaceCategories(db: Queryable, databaseId: string, rows: Array<Omit<typeof databaseCategories.$inferInsert, 'databaseId'>>): Promise<void> {
  await db.delete(databaseCategories).where(eq(databaseCategories.databaseId, databaseId));
  if (rows.length > 0) await db.insert(databaseCategories).values(rows.map((row) => ({ ...row, databaseId })));
}

/** Published, online datasets by slug: what an open category may link to. */
export async function findOnlineDatasetsBySlug(db: Queryable, slugs: string[]): Promise<Map<string, string>> {
  if (slugs.length === 0) return new Map();
  const rows = await db
    .select({ id: datasets.id, slug: datasets.slug })
    .from(datasets)
    .where(and(inArray(datasets.slug, slugs), isNotNull(datasets.publishedRevisionId), isNull(datasets.withdrawnAt)));
  return new Map(rows.map((row) => [row.slug, row.id]));
}

export async function findDatasetsByCatalogueNumber(db: Queryable, numbers: number[]): Promise<Map<number, string>> {
  if (numbers.length === 0) return new Map();
  const rows = await db.select({ id: datasets.id, number: datasets.catalogueNumber }).from(datasets).where(inArray(datasets.catalogueNumber, numbers));
  return new Map(rows.flatMap((row) => (row.number === null ? [] : [[row.number, row.id] as [number, string]])));
}
