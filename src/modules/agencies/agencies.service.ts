import type { Database, Queryable } from '../../db/client.ts';
import { fieldError, notFound } from '../../lib/errors.ts';
import { slugify } from '../../lib/slug.ts';
import { type Actor, authorize } from '../accounts/permissions.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { enqueueSearchUpdate } from '../search/search.outbox.ts';
import type { PageRequest } from '../../lib/pagination.ts';
import { publishedCounts } from '../datasets/catalogue-summary.ts';
import { countAllDatasetsByAgency, listDatasetIdsOfAgency } from '../datasets/datasets.repository.ts';
import { browsePublished } from '../datasets/datasets.service.ts';
import {
  findAgencyById,
  findAgencyBySlug,
  insertAgency,
  listActiveAgencies,
  listAllAgencies,
  updateAgency,
} from './agencies.repository.ts';
import type { AgencyInput } from './agencies.schemas.ts';

/** Active agencies with their number of published datasets. */
export async function listAgenciesWithCounts(db: Queryable, counts = publishedCounts(db)) {
  const [agencies, { byAgency }] = await Promise.all([listActiveAgencies(db), counts]);
  return agencies.map((agency) => ({ agency, count: byAgency.get(agency.id) ?? 0 }));
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
  // A deactivated agency keeps its page: its published datasets still link to it.
  if (!agency) throw notFound('errors.agency_not_found');
  const datasets = await browsePublished(db, { agencyId: agency.id }, page, 'name');
  return { agency, datasets };
}

// ---- DOIT's side: agencies are created, edited and deactivated, never deleted (their data stays attributable).

export async function browseAllAgencies(db: Queryable, actor: Actor | null) {
  authorize(actor, 'agency.manage');
  const [agencies, counts] = await Promise.all([listAllAgencies(db), countAllDatasetsByAgency(db)]);
  return agencies.map((agency) => ({ agency, datasetCount: counts.get(agency.id) ?? 0 }));
}

export async function getAgencyForEdit(db: Queryable, actor: Actor | null, id: string) {
  authorize(actor, 'agency.manage');
  const agency = await findAgencyById(db, id);
  if (!agency) throw notFound('errors.agency_not_found');
  return agency;
}

export async function createAgency(db: Database, actor: Actor | null, input: AgencyInput) {
  authorize(actor, 'agency.manage');
  return db.transaction(async (tx) => {
    const slug = input.slug || slugify(input.name);
    if (!slug) throw fieldError('slug', 'agencies.slug_required');
    const agency = await insertAgency(tx, { ...input, slug });
    await recordAudit(tx, actor, { action: 'agency.create', objectType: 'agency', objectId: agency.id, objectLabel: agency.name });
    return agency;
  });
}

export async function editAgency(db: Database, actor: Actor | null, id: string, input: AgencyInput) {
  authorize(actor, 'agency.manage');
  return db.transaction(async (tx) => {
    const before = await findAgencyById(tx, id);
    if (!before) throw notFound('errors.agency_not_found');
    const agency = await updateAgency(tx, id, { ...input, slug: input.slug || before.slug });
    const changed = Object.keys(input).filter((key) => before[key as keyof typeof before] !== agency[key as keyof typeof agency]);
    // Search documents carry the agency's slug: a new slug must reach the index.
    if (changed.includes('slug')) await enqueueSearchUpdate(tx, await listDatasetIdsOfAgency(tx, id));
    await recordAudit(tx, actor, { action: 'agency.update', objectType: 'agency', objectId: id, objectLabel: agency.name, details: { changed } });
    return agency;
  });
}

/** A deactivated agency disappears from public lists; its published datasets stay attributed to it. */
export async function setAgencyActive(db: Database, actor: Actor | null, id: string, active: boolean) {
  authorize(actor, 'agency.manage');
  return db.transaction(async (tx) => {
    const before = await findAgencyById(tx, id);
    if (!before) throw notFound('errors.agency_not_found');
    const agency = await updateAgency(tx, id, { active });
    await recordAudit(tx, actor, {
      action: active ? 'agency.reactivate' : 'agency.deactivate',
      objectType: 'agency',
      objectId: id,
      objectLabel: agency.name,
    });
    return agency;
  });
}
