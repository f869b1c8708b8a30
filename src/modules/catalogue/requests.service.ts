import type { Database, Queryable } from '../../db/client.ts';
import { formatDate, translator } from '../../i18n/i18n.ts';
import { conflict, fieldError, notFound } from '../../lib/errors.ts';
import { type Actor, authorize, can } from '../accounts/permissions.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { listTopics } from '../topics/topics.repository.ts';
import { queueMail } from '../notifications/mail-queue.ts';
import { vietnamDay } from './deadlines.ts';
import { copyEntries, findCatalogue, findCatalogueByYear, findCatalogueInForce, findLatestBefore, insertCatalogue, insertEntry } from './catalogue.repository.ts';
import type { Catalogue } from './catalogue.table.ts';
import {
  activeEmailsOf,
  countPendingRequests,
  findRequestForUpdate,
  findRequestRow,
  insertRequest,
  listRequests,
  nextEntryNumber,
  updateRequest,
} from './requests.repository.ts';
import type { ApproveRequestInput, EntryRequestInput } from './requests.schemas.ts';
import type { CatalogueRequest } from './requests.table.ts';

/** What the actor may do with requests: ask for a new entry (agencies), decide (DOIT). */
export function requestAbilities(actor: Actor | null, request?: Pick<CatalogueRequest, 'state'>) {
  return {
    request: can(actor, 'catalogue.request'),
    decide: can(actor, 'catalogue.manage') && (request ? request.state === 'pending' : true),
  };
}

/** Topic groups the request form chooses from. */
export async function requestFormChoices(db: Queryable, actor: Actor | null) {
  authorize(actor, 'catalogue.request');
  return { topics: await listTopics(db) };
}

/**
 * An agency asks for a dataset the catalogue does not list (Art. 7.2). DOIT is told by mail; the
 * request waits in DOIT's queue and on the agency's own list.
 */
export async function requestNewEntry(db: Database, actor: Actor | null, input: EntryRequestInput, baseUrl: string) {
  authorize(actor, 'catalogue.request');
  if (!actor.agencyId) throw fieldError('_form', 'requests.no_agency', 403);
  const agencyId = actor.agencyId;
  return db.transaction(async (tx) => {
    const request = await insertRequest(tx, { ...input, agencyId, requestedBy: actor.id });
    await recordAudit(tx, actor, { action: 'catalogue.request', objectType: 'catalogue_request', objectId: request.id, objectLabel: request.title });
    const t = translator('vi');
    await queueMail(tx, {
      to: await activeEmailsOf(tx, null),
      subject: t('requests.mail_new_subject', { title: request.title }),
      text: t('requests.mail_new_body', { title: request.title, reason: request.reason, link: `${baseUrl}/admin/catalogue/requests/${request.id}` }),
    });
    return request;
  });
}

/** DOIT sees every agency's requests, waiting ones first; an agency sees its own. */
export async function browseRequests(db: Queryable, actor: Actor | null) {
  if (can(actor, 'catalogue.manage')) return { rows: await listRequests(db, undefined), everyAgency: true };
  authorize(actor, 'catalogue.request');
  return { rows: await listRequests(db, actor.agencyId ?? '00000000-0000-0000-0000-000000000000'), everyAgency: false };
}

export async function pendingRequestCount(db: Queryable, actor: Actor | null) {
  authorize(actor, 'catalogue.manage');
  return countPendingRequests(db);
}

export async function getRequest(db: Queryable, actor: Actor | null, id: string) {
  const row = await findRequestRow(db, id);
  if (!row) throw notFound('requests.not_found');
  // DOIT reads every request; an agency only its own (the agency rule of the permission table).
  if (!can(actor, 'catalogue.manage')) authorize(actor, 'catalogue.request', row.request);
  return row;
}

async function pendingRequest(tx: Queryable, id: string) {
  const request = await findRequestForUpdate(tx, id);
  if (!request) throw notFound('requests.not_found');
  if (request.state !== 'pending') throw conflict('requests.already_decided');
  return request;
}

/**
 * The catalogue an approved request goes into. "Current": this year's draft if DOIT is still writing
 * it, else the approved catalogue in force, to which the entry is added as a supplement during the
 * year (Art. 7.2: agencies propose additions; the note records where the entry came from). "Next":
 * next year's draft, started as a copy of the newest catalogue when it does not exist yet.
 */
async function targetCatalogue(tx: Queryable, target: ApproveRequestInput['target'], now: Date): Promise<{ catalogue: Catalogue; supplement: boolean }> {
  const year = Number(vietnamDay(now).slice(0, 4));
  if (target === 'current') {
    const own = await findCatalogueByYear(tx, year);
    if (own?.status === 'draft') return { catalogue: (await findCatalogue(tx, own.id, { forUpdate: true })) ?? own, supplement: false };
    if (own?.status === 'submitted') throw fieldError('target', 'requests.current_submitted', 409, { year });
    const inForce = await findCatalogueInForce(tx, year);
    if (inForce?.status !== 'approved') throw fieldError('target', 'requests.no_current', 409, { year });
    return { catalogue: (await findCatalogue(tx, inForce.id, { forUpdate: true })) ?? inForce, supplement: true };
  }
  const next = await findCatalogueByYear(tx, year + 1);
  if (next && next.status !== 'draft') throw fieldError('target', 'requests.next_not_draft', 409, { year: year + 1 });
  if (next) return { catalogue: (await findCatalogue(tx, next.id, { forUpdate: true })) ?? next, supplement: false };
  const created = await insertCatalogue(tx, year + 1);
  const previous = await findLatestBefore(tx, year + 1);
  if (previous) await copyEntries(tx, previous.id, created.id);
  return { catalogue: created, supplement: false };
}

async function mailAgency(tx: Queryable, request: CatalogueRequest, subjectKey: string, bodyKey: string, params: Record<string, string | number>) {
  const t = translator('vi');
  await queueMail(tx, { to: await activeEmailsOf(tx, request.agencyId), subject: t(subjectKey, { title: request.title }), text: t(bodyKey, { title: request.title, ...params }) });
}

/** DOIT adds the requested dataset as a new entry at the end of the chosen catalogue; the agency is mailed. */
export async function approveRequest(db: Database, actor: Actor | null, id: string, input: ApproveRequestInput, baseUrl: string, now = new Date()) {
  authorize(actor, 'catalogue.manage');
  return db.transaction(async (tx) => {
    const request = await pendingRequest(tx, id);
    const { catalogue, supplement } = await targetCatalogue(tx, input.target, now);
    const t = translator('vi');
    const entry = await insertEntry(tx, {
      catalogueId: catalogue.id,
      number: await nextEntryNumber(tx, catalogue.id),
      title: request.title,
      description: request.description,
      agencyId: request.agencyId,
      topicId: request.topicId,
      frequency: request.frequency,
      notes: supplement ? t('requests.supplement_note', { date: formatDate('vi', vietnamDay(now)) }) : '',
    });
    const decided = await updateRequest(tx, id, { state: 'approved', catalogueId: catalogue.id, entryId: entry.id, decidedBy: actor.id, decidedAt: now });
    await recordAudit(tx, actor, {
      action: 'catalogue.request_approve',
      objectType: 'catalogue_request',
      objectId: id,
      objectLabel: request.title,
      details: { year: catalogue.year, number: entry.number, supplement },
    });
    await mailAgency(tx, request, 'requests.mail_approved_subject', 'requests.mail_approved_body', { year: catalogue.year, number: entry.number, link: `${baseUrl}/admin/catalogue/requests/${id}` });
    return { request: decided, catalogue, entry };
  });
}

/** DOIT declines with a reason the agency reads on its list and in the mail. */
export async function declineRequest(db: Database, actor: Actor | null, id: string, reason: string, baseUrl: string, now = new Date()) {
  authorize(actor, 'catalogue.manage');
  return db.transaction(async (tx) => {
    const request = await pendingRequest(tx, id);
    const decided = await updateRequest(tx, id, { state: 'declined', declineReason: reason, decidedBy: actor.id, decidedAt: now });
    await recordAudit(tx, actor, { action: 'catalogue.request_decline', objectType: 'catalogue_request', objectId: id, objectLabel: request.title, details: { reason } });
    await mailAgency(tx, request, 'requests.mail_declined_subject', 'requests.mail_declined_body', { reason, link: `${baseUrl}/admin/catalogue/requests/${id}` });
    return decided;
  });
}
