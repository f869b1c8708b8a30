import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { users } from '../accounts/accounts.table.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { topics } from '../topics/topics.table.ts';
import { catalogueEntries, catalogues } from './catalogue.table.ts';
import { catalogueRequests, type CatalogueRequest } from './requests.table.ts';

const listColumns = {
  request: catalogueRequests,
  agencyName: agencies.name,
  topicNameVi: topics.nameVi,
  topicNameEn: topics.nameEn,
  catalogueYear: catalogues.year,
  catalogueStatus: catalogues.status,
  entryNumber: catalogueEntries.number,
  entryDatasetId: catalogueEntries.datasetId,
};
export type RequestListRow = {
  request: CatalogueRequest;
  agencyName: string;
  topicNameVi: string;
  topicNameEn: string;
  catalogueYear: number | null;
  catalogueStatus: string | null;
  entryNumber: number | null;
  entryDatasetId: string | null;
};

function listQuery(db: Queryable) {
  return db
    .select(listColumns)
    .from(catalogueRequests)
    .innerJoin(agencies, eq(agencies.id, catalogueRequests.agencyId))
    .innerJoin(topics, eq(topics.id, catalogueRequests.topicId))
    .leftJoin(catalogues, eq(catalogues.id, catalogueRequests.catalogueId))
    .leftJoin(catalogueEntries, eq(catalogueEntries.id, catalogueRequests.entryId));
}

/** An agency's requests, newest first; or every agency's (agencyId undefined), waiting ones first. */
export async function listRequests(db: Queryable, agencyId: string | undefined, limit = 200): Promise<RequestListRow[]> {
  const query = listQuery(db);
  const filtered = agencyId ? query.where(eq(catalogueRequests.agencyId, agencyId)) : query;
  return filtered.orderBy(sql`${catalogueRequests.state} = 'pending' desc`, desc(catalogueRequests.createdAt)).limit(limit);
}

export async function findRequestRow(db: Queryable, id: string): Promise<RequestListRow | undefined> {
  const [row] = await listQuery(db).where(eq(catalogueRequests.id, id)).limit(1);
  return row;
}

export async function findRequestForUpdate(db: Queryable, id: string): Promise<CatalogueRequest | undefined> {
  const [row] = await db.select().from(catalogueRequests).where(eq(catalogueRequests.id, id)).limit(1).for('update');
  return row;
}

export async function insertRequest(db: Queryable, values: typeof catalogueRequests.$inferInsert): Promise<CatalogueRequest> {
  const [row] = await db.insert(catalogueRequests).values(values).returning();
  return row;
}

export async function updateRequest(db: Queryable, id: string, changes: Partial<typeof catalogueRequests.$inferInsert>): Promise<CatalogueRequest> {
  const [row] = await db.update(catalogueRequests).set(changes).where(eq(catalogueRequests.id, id)).returning();
  return row;
}

export async function countPendingRequests(db: Queryable): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(catalogueRequests).where(eq(catalogueRequests.state, 'pending'));
  return row?.count ?? 0;
}

/** The next free number (TT) at the end of a catalogue. */
export async function nextEntryNumber(db: Queryable, catalogueId: string): Promise<number> {
  const [row] = await db
    .select({ max: sql<number>`coalesce(max(${catalogueEntries.number}), 0)::int` })
    .from(catalogueEntries)
    .where(eq(catalogueEntries.catalogueId, catalogueId));
  return (row?.max ?? 0) + 1;
}

/** Addresses of an agency's active accounts (agencyId null: DOIT's). */
export async function activeEmailsOf(db: Queryable, agencyId: string | null): Promise<string[]> {
  const rows = await db
    .select({ email: users.email })
    .from(users)
    .where(and(agencyId ? eq(users.agencyId, agencyId) : eq(users.role, 'admin'), isNull(users.disabledAt)));
  return rows.map((row) => row.email);
}
