import type { Queryable } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import type { PageRequest } from '../../lib/pagination.ts';
import { countPublishedByAgency } from '../datasets/datasets.repository.ts';
import { browsePublished } from '../datasets/datasets.service.ts';
import { findAgencyBySlug, listActiveAgencies } from './agencies.repository.ts';

export async function listAgenciesWithCounts(db: Queryable) {
  const [agencies, counts] = await Promise.all([listActiveAgencies(db), countPublishedByAgency(db)]);
  return agencies.map((agency) => ({ agency, count: counts.get(agency.id) ?? 0 }));
}

/**
 * Share of active agencies with at least one published dataset: the plans' target indicator
 * (over 70% in 2023, 90% in 2024, 100% in 2025).
 */
export function shareOfPublishing(rows: Array<{ count: number }>) {
  const publishing = rows.filter((row) => row.count > 0).length;
  const total = rows.length;
  return { publishing, total, percent: total === 0 ? 0 : Math.round((publishing / total) * 100) };
}

export async function getAgencyWithDatasets(db: Queryable, slug: string, page: PageRequest) {
  const agency = await findAgencyBySlug(db, slug);
  if (!agency?.active) throw notFound('errors.agency_not_found');
  const datasets = await browsePublished(db, { agencyId: agency.id }, page, 'name');
  return { agency, datasets };
}
