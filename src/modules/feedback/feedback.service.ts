import type { Database, Queryable } from '../../db/client.ts';
import { fieldError, notFound } from '../../lib/errors.ts';
import { type Page, type PageRequest, toPage } from '../../lib/pagination.ts';
import { type Actor, authorize, can, scopeOf } from '../accounts/permissions.ts';
import { queueHolderMail, queueSubmitterMail } from './feedback.notifications.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findAgencyBySlug, listActiveAgencies } from '../agencies/agencies.repository.ts';
import { findTopicById, findTopicBySlug, listTopics } from '../topics/topics.repository.ts';
import { vietnamDay } from '../../lib/calendar.ts';
import { type DeadlineRule, dueDateOf } from './feedback.deadline.ts';
import { authorizeFeedback, feedbackAbilities } from './feedback.policy.ts';
import {
  countAwaitingAnswer,
  countOpenByHolder,
  type FeedbackFilter,
  type FeedbackRow,
  findFeedbackById,
  findFeedbackRow,
  findPublishedDatasetTarget,
  insertAnswer,
  insertFeedback,
  isActiveAgency,
  latestAnswers,
  listAgencyChoices,
  listAnswers,
  listFeedback,
  updateFeedback,
} from './feedback.repository.ts';
import type { FeedbackInput } from './feedback.schemas.ts';
import type { Feedback, FeedbackAnswer } from './feedback.table.ts';

export interface FeedbackWithAnswer {
  row: FeedbackRow;
  /** The current public answer and how many versions it has had. */
  latest: { answer: FeedbackAnswer; versions: number } | null;
}

async function withAnswers(db: Queryable, rows: FeedbackRow[]): Promise<FeedbackWithAnswer[]> {
  const answers = await latestAnswers(db, rows.map((row) => row.feedback.id));
  return rows.map((row) => ({ row, latest: answers.get(row.feedback.id) ?? null }));
}

/**
 * A visitor sends feedback, without an account (782 Art. 9.1). Feedback about a dataset goes to the
 * dataset's agency; general feedback to the agency the visitor chose, or to DOIT. The due day is
 * fixed now, from the rule in force today.
 */
export async function submitFeedback(
  db: Database,
  input: FeedbackInput,
  context: { rule: DeadlineRule; locale: 'vi' | 'en'; now?: Date; /** Where mail links lead; without it nobody is mailed. */ baseUrl?: string },
): Promise<Feedback> {
  const now = context.now ?? new Date();
  let agencyId: string | null = null;
  let topicId: string | null = null;
  let datasetId: string | null = null;
  if (input.datasetId) {
    const dataset = await findPublishedDatasetTarget(db, { id: input.datasetId });
    if (!dataset) throw fieldError('datasetId', 'feedback.dataset_unknown');
    ({ agencyId, topicId } = dataset);
    datasetId = dataset.id;
  } else {
    if (input.agencyId) {
      if (!(await isActiveAgency(db, input.agencyId))) throw fieldError('agencyId', 'feedback.agency_unknown');
      agencyId = input.agencyId;
    }
    if (input.topicId) {
      if (!(await findTopicById(db, input.topicId))) throw fieldError('topicId', 'feedback.topic_unknown');
      topicId = input.topicId;
    }
  }
  const values = {
    kind: input.kind,
    title: input.title,
    message: input.message,
    submitterName: input.name || null,
    submitterEmail: input.email ? input.email.toLowerCase() : null,
    submitterLocale: context.locale,
    datasetId,
    agencyId,
    topicId,
    receivedAt: now,
    dueOn: dueDateOf(now, context.rule),
  };
  // The holder is told by mail queued with the row: both are kept, or neither.
  return db.transaction(async (tx) => {
    const item = await insertFeedback(tx, values);
    if (context.baseUrl) await queueHolderMail(tx, item, context.baseUrl);
    return item;
  });
}

/** Where mail about a change links to; without it (scripts, tests of the rules alone) no mail is queued. */
export interface FeedbackMail {
  baseUrl: string;
}

// --- The public side: hidden feedback is never read here ---------------------------------------

/** Matches nothing: an unknown agency or topic in the URL gives an empty list, not every item. */
const noSuchId = '00000000-0000-0000-0000-000000000000';

/**
 * What the public form offers: about one published dataset (its agency answers), or the agencies
 * and topics to choose from. `dataset` is an id (the form sent back) or a slug (a link from a page).
 */
export async function feedbackFormChoices(db: Queryable, dataset: { id?: string; slug?: string }) {
  const target = dataset.id || dataset.slug ? await findPublishedDatasetTarget(db, dataset) : undefined;
  const [agencies, topics] = target ? [[], []] : await Promise.all([listActiveAgencies(db), listTopics(db)]);
  return { dataset: target ?? null, agencies, topics };
}

/**
 * The public list with its filters as the URL names them (slugs), and the choices of the filter
 * form. Unknown slugs match nothing.
 */
export async function browsePublicFeedbackBySlugs(
  db: Queryable,
  filter: { status?: FeedbackFilter['status']; kind?: FeedbackFilter['kind']; agency?: string; topic?: string; dataset?: string },
  page: PageRequest,
) {
  const [agency, topic, dataset, agencies, topics] = await Promise.all([
    filter.agency ? findAgencyBySlug(db, filter.agency) : undefined,
    filter.topic ? findTopicBySlug(db, filter.topic) : undefined,
    filter.dataset ? findPublishedDatasetTarget(db, { slug: filter.dataset }) : undefined,
    listActiveAgencies(db),
    listTopics(db),
  ]);
  const result = await browsePublicFeedback(
    db,
    {
      status: filter.status,
      kind: filter.kind,
      agencyId: filter.agency ? (agency?.id ?? noSuchId) : undefined,
      topicId: filter.topic ? (topic?.id ?? noSuchId) : undefined,
      datasetId: filter.dataset ? (dataset?.id ?? noSuchId) : undefined,
      today: vietnamDay(new Date()),
    },
    page,
  );
  return { result, dataset: dataset ?? null, agencies, topics };
}

export async function browsePublicFeedback(db: Queryable, filter: Omit<FeedbackFilter, 'hidden'>, page: PageRequest): Promise<Page<FeedbackWithAnswer>> {
  const { rows, total } = await listFeedback(db, { ...filter, hidden: 'exclude' }, { limit: page.pageSize, offset: page.offset });
  return toPage(await withAnswers(db, rows), total, page);
}

export async function getPublicFeedback(db: Queryable, id: string): Promise<FeedbackWithAnswer> {
  const row = await findFeedbackRow(db, id);
  if (!row || row.feedback.hiddenAt) throw notFound('feedback.not_found');
  const [item] = await withAnswers(db, [row]);
  return item;
}

/** The feedback shown on a dataset's page: newest first, a handful. */
export async function publicFeedbackOfDataset(db: Queryable, datasetId: string, limit = 10) {
  const { rows, total } = await listFeedback(db, { datasetId, hidden: 'exclude', today: vietnamDay(new Date()) }, { limit, offset: 0 });
  return { items: await withAnswers(db, rows), total };
}

// --- The back office -----------------------------------------------------------------------------

export type InboxStatus = 'open' | 'answered' | 'resolved' | 'declined' | 'overdue' | 'hidden' | 'all';

/**
 * An agency sees the feedback it holds; DOIT sees what it holds (general feedback, forwarded
 * feedback) and, with `everyone`, all of it.
 */
export async function feedbackInbox(db: Queryable, actor: Actor | null, filter: { status: InboxStatus; everyone: boolean }, page: PageRequest) {
  authorize(actor, 'feedback.read');
  const scope = scopeOf(actor);
  // DOIT holds general and forwarded feedback; those who route feedback may also look at everyone's.
  const holder: Partial<FeedbackFilter> =
    scope.kind === 'agency' ? { agencyId: scope.agencyId } : filter.everyone && can(actor, 'feedback.route') ? {} : { heldByDoit: true };
  const status = filter.status === 'all' || filter.status === 'hidden' ? undefined : filter.status;
  const { rows, total } = await listFeedback(
    db,
    { ...holder, status, hidden: filter.status === 'hidden' ? 'only' : filter.status === 'all' ? 'include' : 'exclude', today: vietnamDay(new Date()) },
    { limit: page.pageSize, offset: page.offset },
  );
  return toPage(await withAnswers(db, rows), total, page);
}

/** The number in the back-office menu: feedback waiting for this person's answer. */
export async function feedbackCount(db: Queryable, actor: Actor): Promise<number> {
  if (!can(actor, 'feedback.answer')) return 0;
  const scope = scopeOf(actor);
  // The province's staff answer what DOIT holds (agency null); an agency what it holds.
  return countAwaitingAnswer(db, scope.kind === 'province' ? null : scope.agencyId);
}

export async function feedbackForOffice(db: Queryable, actor: Actor | null, id: string) {
  const row = await findFeedbackRow(db, id);
  if (!row) throw notFound('feedback.not_found');
  authorizeFeedback(actor, 'read', row.feedback);
  const can = feedbackAbilities(actor, row.feedback);
  // The agencies it may be given to, only for someone who may reassign it.
  const agencyChoices = can.reassign ? await listAgencyChoices(db, row.feedback.agencyId) : [];
  return { row, answers: await listAnswers(db, id), can, agencyChoices };
}

async function lockForChange(db: Queryable, id: string): Promise<Feedback> {
  const item = await findFeedbackById(db, id, { forUpdate: true });
  if (!item) throw notFound('feedback.not_found');
  return item;
}

const label = (item: Feedback) => `#${item.number} ${item.title}`.slice(0, 200);

/**
 * The holding agency publishes its answer. Answering again replaces the public text and keeps the
 * earlier versions; the clock stops at the first answer.
 */
export async function answerFeedback(db: Database, actor: Actor | null, id: string, body: string, now = new Date(), mail?: FeedbackMail) {
  return db.transaction(async (tx) => {
    const item = await lockForChange(tx, id);
    authorizeFeedback(actor, 'answer', item);
    const answer = await insertAnswer(tx, { feedbackId: item.id, body, authorId: actor.id, agencyId: actor.agencyId, at: now });
    const firstResponse = item.answeredAt === null;
    const updated = await updateFeedback(tx, item.id, {
      answeredAt: item.answeredAt ?? now,
      status: item.status === 'open' ? 'answered' : item.status,
    });
    await recordAudit(tx, actor, { action: 'feedback.answer', objectType: 'feedback', objectId: item.id, objectLabel: label(item), details: { version: answer.version } });
    if (firstResponse && mail) await queueSubmitterMail(tx, updated, mail.baseUrl);
    return { feedback: updated, answer, firstResponse };
  });
}

/** Resolved or declined, with a reason the public reads. A reason given before any answer stops the clock too. */
export async function closeFeedback(
  db: Database,
  actor: Actor | null,
  id: string,
  input: { outcome: 'resolved' | 'declined'; reason: string },
  now = new Date(),
  mail?: FeedbackMail,
) {
  return db.transaction(async (tx) => {
    const item = await lockForChange(tx, id);
    authorizeFeedback(actor, 'close', item);
    const updated = await updateFeedback(tx, item.id, { status: input.outcome, closedAt: now, closedReason: input.reason, answeredAt: item.answeredAt ?? now });
    await recordAudit(tx, actor, { action: `feedback.${input.outcome === 'resolved' ? 'resolve' : 'decline'}`, objectType: 'feedback', objectId: item.id, objectLabel: label(item), details: { reason: input.reason } });
    if (item.answeredAt === null && mail) await queueSubmitterMail(tx, updated, mail.baseUrl);
    return { feedback: updated, firstResponse: item.answeredAt === null };
  });
}

/** The agency hands the feedback to DOIT (not theirs, or needs another agency), with a note. */
export async function forwardToDoit(db: Database, actor: Actor | null, id: string, note: string, now = new Date(), mail?: FeedbackMail) {
  return db.transaction(async (tx) => {
    const item = await lockForChange(tx, id);
    authorizeFeedback(actor, 'forward', item);
    const updated = await updateFeedback(tx, item.id, { agencyId: null, forwardedAt: now, forwardNote: note });
    await recordAudit(tx, actor, { action: 'feedback.forward', objectType: 'feedback', objectId: item.id, objectLabel: label(item), details: { fromAgencyId: item.agencyId, note } });
    if (mail) await queueHolderMail(tx, updated, mail.baseUrl);
    return updated;
  });
}

/** DOIT gives the feedback to the agency that should answer it. */
export async function reassignFeedback(db: Database, actor: Actor | null, id: string, agencyId: string, mail?: FeedbackMail) {
  return db.transaction(async (tx) => {
    const item = await lockForChange(tx, id);
    authorizeFeedback(actor, 'reassign', item);
    if (!(await isActiveAgency(tx, agencyId))) throw fieldError('agencyId', 'feedback.agency_unknown');
    if (item.agencyId === agencyId) throw fieldError('agencyId', 'feedback.same_agency');
    const updated = await updateFeedback(tx, item.id, { agencyId });
    await recordAudit(tx, actor, { action: 'feedback.reassign', objectType: 'feedback', objectId: item.id, objectLabel: label(item), details: { fromAgencyId: item.agencyId, toAgencyId: agencyId } });
    if (mail) await queueHolderMail(tx, updated, mail.baseUrl);
    return updated;
  });
}

/** DOIT moderation: spam or personal data leaves every public page; the reason stays in the audit log. */
export async function hideFeedback(db: Database, actor: Actor | null, id: string, reason: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const item = await lockForChange(tx, id);
    authorizeFeedback(actor, 'hide', item);
    const updated = await updateFeedback(tx, item.id, { hiddenAt: now, hiddenReason: reason });
    await recordAudit(tx, actor, { action: 'feedback.hide', objectType: 'feedback', objectId: item.id, objectLabel: label(item), details: { reason } });
    return updated;
  });
}

export async function unhideFeedback(db: Database, actor: Actor | null, id: string) {
  return db.transaction(async (tx) => {
    const item = await lockForChange(tx, id);
    authorizeFeedback(actor, 'unhide', item);
    const updated = await updateFeedback(tx, item.id, { hiddenAt: null, hiddenReason: null });
    await recordAudit(tx, actor, { action: 'feedback.unhide', objectType: 'feedback', objectId: item.id, objectLabel: label(item), details: { previousReason: item.hiddenReason } });
    return updated;
  });
}

/** A data request points to the published dataset that answers it (issue 6, point 7). */
export async function linkAnsweringDataset(db: Database, actor: Actor | null, id: string, datasetSlug: string) {
  return db.transaction(async (tx) => {
    const item = await lockForChange(tx, id);
    authorizeFeedback(actor, 'link', item);
    const dataset = await findPublishedDatasetTarget(tx, { slug: datasetSlug });
    if (!dataset) throw fieldError('dataset', 'feedback.dataset_unknown');
    const updated = await updateFeedback(tx, item.id, { linkedDatasetId: dataset.id });
    await recordAudit(tx, actor, { action: 'feedback.link_dataset', objectType: 'feedback', objectId: item.id, objectLabel: label(item), details: { datasetId: dataset.id, slug: dataset.slug } });
    return { feedback: updated, dataset };
  });
}

/** DOIT follows up late agencies (782 Art. 5.1): per holder, feedback waiting for an answer and how much is overdue. */
export async function feedbackDeadlinesByHolder(db: Queryable, actor: Actor | null) {
  authorize(actor, 'feedback.route');
  return countOpenByHolder(db, vietnamDay(new Date()));
}
