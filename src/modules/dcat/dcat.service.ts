import type { Queryable } from '../../db/client.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { parseSolrDate, QuerySyntaxError } from '../ckan-api/ckan-query.ts';
import {
  findPublishedPackage,
  listResourcesOfRevisions,
  type PackageRow,
  searchPublishedPackages,
  treeCondition,
} from '../ckan-api/ckan.repository.ts';
import type { Resource } from '../resources/resources.table.ts';

/** Datasets per page of the catalogue feeds (ckanext-dcat's default is 100 too). */
export const cataloguePageSize = 100;

export interface FeedQuery {
  page: number;
  modifiedSince: Date | null;
}

/** `?page=` (from 1) and `?modified_since=` (ISO date or date-time, UTC): anything else is a 400 with a sentence. */
export function parseFeedQuery(query: Record<string, unknown>): FeedQuery {
  const rawPage = typeof query.page === 'string' ? query.page : '1';
  if (!/^\d{1,6}$/.test(rawPage) || Number(rawPage) < 1) throw badRequest('dcat.invalid_page');
  let modifiedSince: Date | null = null;
  if (typeof query.modified_since === 'string' && query.modified_since !== '') {
    try {
      modifiedSince = parseSolrDate(query.modified_since);
    } catch (error) {
      if (error instanceof QuerySyntaxError) throw badRequest('dcat.invalid_date');
      throw error;
    }
  }
  return { page: Number(rawPage), modifiedSince };
}

export interface PublishedSlice {
  rows: PackageRow[];
  filesOf: Map<string, Resource[]>;
  total: number;
}

/** Published datasets by id (a stable order for paging), optionally changed since a date. */
export async function loadPublishedSlice(db: Queryable, options: { modifiedSince: Date | null; offset: number; limit: number }): Promise<PublishedSlice> {
  const where = options.modifiedSince
    ? treeCondition([[{ kind: 'field', field: 'metadata_modified', match: { kind: 'range', from: options.modifiedSince, to: null }, negate: false }]])
    : undefined;
  const found = await searchPublishedPackages(db, {
    where,
    sort: [{ field: 'id', descending: false }],
    textTerms: [],
    rows: options.limit,
    start: options.offset,
  });
  const filesOf = await listResourcesOfRevisions(db, found.rows.map((row) => row.revision.id));
  return { rows: found.rows, filesOf, total: found.count };
}

/** Every published dataset, read a thousand at a time (data.json lists the whole catalogue). */
export async function loadAllPublished(db: Queryable): Promise<PublishedSlice> {
  const all: PublishedSlice = { rows: [], filesOf: new Map(), total: 0 };
  for (let offset = 0; ; offset += 1000) {
    const slice = await loadPublishedSlice(db, { modifiedSince: null, offset, limit: 1000 });
    all.rows.push(...slice.rows);
    for (const [key, value] of slice.filesOf) all.filesOf.set(key, value);
    all.total = slice.total;
    if (slice.rows.length < 1000) return all;
  }
}

export async function loadPublishedDataset(db: Queryable, slug: string): Promise<{ row: PackageRow; resources: Resource[] }> {
  const row = await findPublishedPackage(db, slug);
  if (!row || row.dataset.slug !== slug) throw notFound('errors.dataset_not_found');
  const files = await listResourcesOfRevisions(db, [row.revision.id]);
  return { row, resources: files.get(row.revision.id) ?? [] };
}
