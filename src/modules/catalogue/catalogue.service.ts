import type { Database, Queryable } from '../../db/client.ts';
import { AppError, fieldError, notFound } from '../../lib/errors.ts';
import type { PageRequest } from '../../lib/pagination.ts';
import { toPage } from '../../lib/pagination.ts';
import { type Actor, authorize } from '../accounts/permissions.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findAgencyBySlug, listAllAgencies } from '../agencies/agencies.repository.ts';
import { findTopicBySlug, listTopics } from '../topics/topics.repository.ts';
import type { CatalogueProblem } from './catalogue-csv.ts';
import { readCatalogueFile, resolveCatalogue, type ResolvedEntry } from './catalogue-import.ts';
import { assertEntriesEditable, assertStatus } from './catalogue.policy.ts';
import {
  copyEntries,
  countEntries,
  deleteEntry,
  entriesWithoutDataset,
  type EntryFilter,
  findCatalogue,
  findCatalogueByYear,
  findCatalogueInForce,
  findEntry,
  findLatestBefore,
  insertCatalogue,
  insertEntry,
  listCatalogues,
  listEntries,
  replaceEntries,
  setCatalogueNumber,
  supersedeApprovedBefore,
  updateCatalogue,
  updateEntry,
} from './catalogue.repository.ts';
import type { ApproveInput, EntryInput } from './catalogue.schemas.ts';
import type { Catalogue } from './catalogue.table.ts';

/** An import with problems: nothing was stored; every problem is listed with its row and column. */
export class CatalogueImportError extends AppError {
  constructor(readonly problems: CatalogueProblem[]) {
    super(422, 'catalogue_import_invalid', 'catalogue.import_has_problems', { count: problems.length });
  }
}

async function loadCatalogue(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<Catalogue> {
  const catalogue = await findCatalogue(db, id, options);
  if (!catalogue) throw notFound('catalogue.not_found');
  return catalogue;
}

export async function browseCatalogues(db: Queryable, actor: Actor | null) {
  authorize(actor, 'catalogue.manage');
  return listCatalogues(db);
}

export async function getCatalogueForAdmin(db: Queryable, actor: Actor | null, id: string, filter: EntryFilter = {}) {
  authorize(actor, 'catalogue.manage');
  const catalogue = await loadCatalogue(db, id);
  const [entries, agencies] = await Promise.all([listEntries(db, id, filter), listAllAgencies(db)]);
  return { catalogue, entries, agencies };
}

/** The catalogue with the agencies and topic groups an entry form chooses from. */
export async function getCatalogueChoices(db: Queryable, actor: Actor | null, id: string) {
  authorize(actor, 'catalogue.manage');
  const [catalogue, agencies, topics] = await Promise.all([loadCatalogue(db, id), listAllAgencies(db), listTopics(db)]);
  return { catalogue, agencies, topics };
}

/** A new year's catalogue starts as a copy of the newest earlier one (entries and their dataset links). */
export async function createCatalogueForYear(db: Database, actor: Actor | null, year: number) {
  authorize(actor, 'catalogue.manage');
  return db.transaction(async (tx) => {
    const catalogue = await insertCatalogue(tx, year);
    const previous = await findLatestBefore(tx, year);
    if (previous) await copyEntries(tx, previous.id, catalogue.id);
    await recordAudit(tx, actor, {
      action: 'catalogue.create',
      objectType: 'catalogue',
      objectId: catalogue.id,
      objectLabel: String(year),
      details: { copiedFrom: previous?.year ?? null },
    });
    return catalogue;
  });
}

export async function getEntryForEdit(db: Queryable, actor: Actor | null, catalogueId: string, entryId: string) {
  authorize(actor, 'catalogue.manage');
  const catalogue = await loadCatalogue(db, catalogueId);
  const entry = await findEntry(db, entryId);
  if (!entry || entry.catalogueId !== catalogueId) throw notFound('catalogue.entry_not_found');
  return { catalogue, entry };
}

export async function addEntry(db: Database, actor: Actor | null, catalogueId: string, input: EntryInput) {
  authorize(actor, 'catalogue.manage');
  return db.transaction(async (tx) => {
    const catalogue = await loadCatalogue(tx, catalogueId, { forUpdate: true });
    assertEntriesEditable(catalogue);
    const entry = await insertEntry(tx, { ...input, catalogueId });
    await recordAudit(tx, actor, { action: 'catalogue.entry_add', objectType: 'catalogue', objectId: catalogueId, objectLabel: `${catalogue.year} #${entry.number}` });
    return entry;
  });
}

export async function editEntry(db: Database, actor: Actor | null, catalogueId: string, entryId: string, input: EntryInput) {
  authorize(actor, 'catalogue.manage');
  return db.transaction(async (tx) => {
    const catalogue = await loadCatalogue(tx, catalogueId, { forUpdate: true });
    assertEntriesEditable(catalogue);
    const before = await findEntry(tx, entryId);
    if (!before || before.catalogueId !== catalogueId) throw notFound('catalogue.entry_not_found');
    const entry = await updateEntry(tx, entryId, input);
    await recordAudit(tx, actor, { action: 'catalogue.entry_edit', objectType: 'catalogue', objectId: catalogueId, objectLabel: `${catalogue.year} #${entry.number}` });
    return entry;
  });
}

export async function removeEntry(db: Database, actor: Actor | null, catalogueId: string, entryId: string) {
  authorize(actor, 'catalogue.manage');
  await db.transaction(async (tx) => {
    const catalogue = await loadCatalogue(tx, catalogueId, { forUpdate: true });
    assertEntriesEditable(catalogue);
    const entry = await findEntry(tx, entryId);
    if (!entry || entry.catalogueId !== catalogueId) throw notFound('catalogue.entry_not_found');
    await deleteEntry(tx, entryId);
    await recordAudit(tx, actor, { action: 'catalogue.entry_remove', objectType: 'catalogue', objectId: catalogueId, objectLabel: `${catalogue.year} #${entry.number}` });
  });
}

export async function submitCatalogue(db: Database, actor: Actor | null, id: string) {
  authorize(actor, 'catalogue.manage');
  return db.transaction(async (tx) => {
    const catalogue = await loadCatalogue(tx, id, { forUpdate: true });
    assertStatus(catalogue, 'draft', 'catalogue.submit_not_draft');
    if ((await countEntries(tx, id)) === 0) throw new AppError(422, 'catalogue_empty', 'catalogue.submit_empty', { year: catalogue.year });
    await recordAudit(tx, actor, { action: 'catalogue.submit', objectType: 'catalogue', objectId: id, objectLabel: String(catalogue.year) });
    return updateCatalogue(tx, id, { status: 'submitted' });
  });
}

export async function returnCatalogueToDraft(db: Database, actor: Actor | null, id: string) {
  authorize(actor, 'catalogue.manage');
  return db.transaction(async (tx) => {
    const catalogue = await loadCatalogue(tx, id, { forUpdate: true });
    assertStatus(catalogue, 'submitted', 'catalogue.return_not_submitted');
    await recordAudit(tx, actor, { action: 'catalogue.return', objectType: 'catalogue', objectId: id, objectLabel: String(catalogue.year) });
    return updateCatalogue(tx, id, { status: 'draft' });
  });
}

/** Records the Chairman's decision; the previous year's approved catalogue is superseded by this one. */
export async function approveCatalogue(db: Database, actor: Actor | null, id: string, input: ApproveInput) {
  authorize(actor, 'catalogue.manage');
  return db.transaction(async (tx) => {
    const catalogue = await loadCatalogue(tx, id, { forUpdate: true });
    assertStatus(catalogue, 'submitted', 'catalogue.approve_not_submitted');
    const approved = await markApproved(tx, catalogue, input);
    await recordAudit(tx, actor, { action: 'catalogue.approve', objectType: 'catalogue', objectId: id, objectLabel: String(catalogue.year), details: { ...input } });
    return approved;
  });
}

async function markApproved(tx: Queryable, catalogue: Catalogue, input: ApproveInput) {
  await supersedeApprovedBefore(tx, catalogue.year);
  return updateCatalogue(tx, catalogue.id, { status: 'approved', ...input, approvedAt: new Date() });
}

/** Reads and checks a file against the agencies and topics of the portal; stores nothing. */
export async function previewImport(db: Queryable, actor: Actor | null, catalogueId: string, fileName: string, bytes: Buffer) {
  authorize(actor, 'catalogue.manage');
  const catalogue = await loadCatalogue(db, catalogueId);
  assertEntriesEditable(catalogue);
  return { catalogue, ...(await checkFile(db, fileName, bytes)) };
}

async function checkFile(db: Queryable, fileName: string, bytes: Buffer) {
  return resolveCatalogue(db, await readCatalogueFile(fileName, bytes));
}

/**
 * Replaces a draft's entries with the file's, all or nothing: a file with any problem stores nothing.
 * Links to datasets survive a re-import for entries that keep their number and agency.
 */
async function storeImport(tx: Queryable, catalogue: Catalogue, entries: ResolvedEntry[]) {
  const previous = await listEntries(tx, catalogue.id);
  const linkOf = new Map(previous.map(({ entry }) => [`${entry.number}:${entry.agencyId}`, entry.datasetId]));
  await replaceEntries(
    tx,
    catalogue.id,
    entries.map(({ agencyName: _agency, topicName: _topic, ...entry }) => ({ ...entry, datasetId: linkOf.get(`${entry.number}:${entry.agencyId}`) ?? null })),
  );
}

export async function commitImport(db: Database, actor: Actor | null, catalogueId: string, fileName: string, bytes: Buffer) {
  authorize(actor, 'catalogue.manage');
  return db.transaction(async (tx) => {
    const catalogue = await loadCatalogue(tx, catalogueId, { forUpdate: true });
    assertEntriesEditable(catalogue);
    const { entries, errors } = await checkFile(tx, fileName, bytes);
    if (errors.length > 0) throw new CatalogueImportError(errors);
    await storeImport(tx, catalogue, entries);
    await recordAudit(tx, actor, { action: 'catalogue.import', objectType: 'catalogue', objectId: catalogueId, objectLabel: String(catalogue.year), details: { fileName, entries: entries.length } });
    return { catalogue, count: entries.length };
  });
}

/**
 * The operator's import (CLI, demo seed): the year's draft is created when missing and filled from the
 * file; with `approve`, it becomes the approved catalogue of that year. Same checks as the back office.
 */
export async function importCatalogueForYear(
  db: Queryable,
  input: { year: number; fileName: string; bytes: Buffer; approve?: ApproveInput },
): Promise<{ catalogue: Catalogue; count: number }> {
  const run = async (tx: Queryable) => {
    let catalogue = (await findCatalogueByYear(tx, input.year)) ?? (await insertCatalogue(tx, input.year));
    assertEntriesEditable(catalogue);
    const { entries, errors } = await checkFile(tx, input.fileName, input.bytes);
    if (errors.length > 0) throw new CatalogueImportError(errors);
    await storeImport(tx, catalogue, entries);
    if (input.approve) catalogue = await markApproved(tx, catalogue, input.approve);
    await recordAudit(tx, null, { action: 'catalogue.import', objectType: 'catalogue', objectId: catalogue.id, objectLabel: String(input.year), details: { fileName: input.fileName, entries: entries.length } });
    return { catalogue, count: entries.length };
  };
  // Inside the caller's transaction (the demo seed) this is a savepoint: still all or nothing.
  return db.transaction(run);
}

// ---- Publishing against the catalogue (Art. 7): an officer picks one of the agency's entries.

async function entryOfAgency(db: Queryable, actor: Actor | null, entryId: string) {
  const entry = await findEntry(db, entryId);
  if (!entry) throw notFound('catalogue.entry_not_found');
  // The agency rule of the one permission table: an officer may only create for their own agency's entry.
  authorize(actor, 'dataset.create', entry);
  const catalogue = await loadCatalogue(db, entry.catalogueId);
  if (catalogue.status !== 'approved') throw fieldError('_form', 'catalogue.entry_not_in_force');
  if (entry.datasetId) throw fieldError('_form', 'catalogue.entry_taken', 409);
  return entry;
}

/** What the new-dataset form starts with when the officer picks an entry: title, description, frequency, topic. */
export async function prefillFromEntry(db: Queryable, actor: Actor | null, entryId: string) {
  const entry = await entryOfAgency(db, actor, entryId);
  return {
    catalogueEntryId: entry.id,
    catalogueNumber: entry.number,
    title: entry.title,
    description: entry.description,
    topicId: entry.topicId,
    updateFrequency: entry.frequency ?? 'yearly',
    firstPublicationDate: entry.firstPublicationDate ?? '',
    notes: entry.notes,
  };
}

/** Links a new dataset to its entry, inside the transaction that creates it. */
export async function claimEntryForDataset(tx: Queryable, actor: Actor | null, entryId: string, datasetId: string) {
  const entry = await entryOfAgency(tx, actor, entryId);
  await updateEntry(tx, entry.id, { datasetId });
  await setCatalogueNumber(tx, datasetId, entry.number);
}

/** The agency's entries of the catalogue in force that have no dataset yet: the officer's to-do list. */
export async function unpublishedEntries(db: Queryable, actor: Actor | null, now = new Date()) {
  authorize(actor, 'catalogue.read');
  if (!actor.agencyId) return [];
  const catalogue = await findCatalogueInForce(db, now.getFullYear());
  if (catalogue?.status !== 'approved') return [];
  return entriesWithoutDataset(db, catalogue.id, actor.agencyId);
}

// ---- The public catalogue: the approved catalogue in force this year.

export interface PublicFilterInput {
  agency?: string;
  topic?: string;
  published?: 'yes' | 'no' | '';
}

async function publicFilter(db: Queryable, input: PublicFilterInput): Promise<EntryFilter> {
  const filter: EntryFilter = {};
  if (input.agency) {
    const agency = await findAgencyBySlug(db, input.agency);
    if (!agency) throw notFound('errors.agency_not_found');
    filter.agencyId = agency.id;
  }
  if (input.topic) {
    const topic = await findTopicBySlug(db, input.topic);
    if (!topic) throw notFound('errors.topic_not_found');
    filter.topicId = topic.id;
  }
  if (input.published === 'yes') filter.published = true;
  if (input.published === 'no') filter.published = false;
  return filter;
}

export async function browsePublicCatalogue(db: Queryable, input: PublicFilterInput, page: PageRequest | null, now = new Date()) {
  const catalogue = await findCatalogueInForce(db, now.getFullYear());
  const [agencies, topics] = await Promise.all([listAllAgencies(db), listTopics(db)]);
  if (!catalogue) return { catalogue: null, page: toPage([], 0, page ?? { page: 1, pageSize: 50, offset: 0 }), agencies, topics, publishedCount: 0 };
  const filter = await publicFilter(db, input);
  const [items, total, publishedCount] = await Promise.all([
    listEntries(db, catalogue.id, filter, page ?? undefined),
    countEntries(db, catalogue.id, filter),
    countEntries(db, catalogue.id, { ...filter, published: true }),
  ]);
  return { catalogue, page: toPage(items, total, page ?? { page: 1, pageSize: Math.max(total, 1), offset: 0 }), agencies, topics, publishedCount };
}

/** Everything an export needs for a catalogue DOIT manages. */
export async function getCatalogueForExport(db: Queryable, actor: Actor | null, id: string) {
  authorize(actor, 'catalogue.manage');
  const catalogue = await loadCatalogue(db, id);
  return { catalogue, entries: await listEntries(db, id) };
}
