import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lt, ne, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Queryable } from '../../db/client.ts';
import { users } from '../accounts/accounts.table.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { datasetRevisions, datasets } from '../datasets/datasets.table.ts';
import { topics } from '../topics/topics.table.ts';
import { type Feedback, type FeedbackAnswer, type FeedbackKind, type FeedbackStatus, feedback, feedbackAnswers, type NewFeedback } from './feedback.table.ts';

const linkedDatasets = alias(datasets, 'linked_datasets');
const datasetTitles = alias(datasetRevisions, 'dataset_titles');
const linkedTitles = alias(datasetRevisions, 'linked_titles');

/** Feedback with the names around it: agency, topic group, the dataset it is about and the one that answered it. */
function selectWithNames(db: Queryable) {
  return db
    .select({
      feedback,
      agency: { id: agencies.id, slug: agencies.slug, name: agencies.name },
      topic: { id: topics.id, slug: topics.slug, nameVi: topics.nameVi, nameEn: topics.nameEn },
      dataset: { slug: datasets.slug, title: datasetTitles.title },
      linkedDataset: { slug: linkedDatasets.slug, title: linkedTitles.title },
    })
    .from(feedback)
    .leftJoin(agencies, eq(agencies.id, feedback.agencyId))
    .leftJoin(topics, eq(topics.id, feedback.topicId))
    .leftJoin(datasets, eq(datasets.id, feedback.datasetId))
    .leftJoin(datasetTitles, eq(datasetTitles.id, datasets.publishedRevisionId))
    .leftJoin(linkedDatasets, eq(linkedDatasets.id, feedback.linkedDatasetId))
    .leftJoin(linkedTitles, eq(linkedTitles.id, linkedDatasets.publishedRevisionId));
}

export type FeedbackRow = Awaited<ReturnType<typeof selectWithNames>>[number];

export async function insertFeedback(db: Queryable, values: NewFeedback): Promise<Feedback> {
  const [row] = await db.insert(feedback).values(values).returning();
  return row;
}

export async function findFeedbackById(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<Feedback | undefined> {
  const query = db.select().from(feedback).where(eq(feedback.id, id)).limit(1);
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function findFeedbackRow(db: Queryable, id: string): Promise<FeedbackRow | undefined> {
  const [row] = await selectWithNames(db).where(eq(feedback.id, id)).limit(1);
  return row;
}

export async function updateFeedback(db: Queryable, id: string, changes: Partial<NewFeedback>): Promise<Feedback> {
  const [row] = await db
    .update(feedback)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(feedback.id, id))
    .returning();
  return row;
}

export async function insertAnswer(db: Queryable, values: Omit<typeof feedbackAnswers.$inferInsert, 'version'>): Promise<FeedbackAnswer> {
  // The feedback row is locked by the caller, so the next version number cannot be taken twice.
  const [{ latest }] = await db
    .select({ latest: sql<number>`coalesce(max(${feedbackAnswers.version}), 0)`.mapWith(Number) })
    .from(feedbackAnswers)
    .where(eq(feedbackAnswers.feedbackId, values.feedbackId));
  const [row] = await db.insert(feedbackAnswers).values({ ...values, version: latest + 1 }).returning();
  return row;
}

/** Every version of the answer, oldest first, with who wrote it. */
export async function listAnswers(db: Queryable, feedbackId: string) {
  return db
    .select({ answer: feedbackAnswers, authorName: users.displayName, agencyName: agencies.name })
    .from(feedbackAnswers)
    .leftJoin(users, eq(users.id, feedbackAnswers.authorId))
    .leftJoin(agencies, eq(agencies.id, feedbackAnswers.agencyId))
    .where(eq(feedbackAnswers.feedbackId, feedbackId))
    .orderBy(asc(feedbackAnswers.version));
}

/** The current (latest) answer of each feedback, with the number of versions. */
export async function latestAnswers(db: Queryable, feedbackIds: string[]): Promise<Map<string, { answer: FeedbackAnswer; versions: number }>> {
  if (feedbackIds.length === 0) return new Map();
  const rows = await db.select().from(feedbackAnswers).where(inArray(feedbackAnswers.feedbackId, feedbackIds)).orderBy(asc(feedbackAnswers.version));
  const latest = new Map<string, { answer: FeedbackAnswer; versions: number }>();
  for (const answer of rows) latest.set(answer.feedbackId, { answer, versions: (latest.get(answer.feedbackId)?.versions ?? 0) + 1 });
  return latest;
}

export interface FeedbackFilter {
  status?: FeedbackStatus | 'overdue';
  kind?: FeedbackKind;
  agencyId?: string;
  /** Feedback held by DOIT (no agency). */
  heldByDoit?: boolean;
  topicId?: string;
  datasetId?: string;
  /** Public lists leave hidden feedback out; the back office may ask for it alone. */
  hidden?: 'exclude' | 'only' | 'include';
  /** The province's date today, for "overdue". */
  today: string;
}

function whereOf(filter: FeedbackFilter): SQL | undefined {
  const conditions: SQL[] = [];
  const hidden = filter.hidden ?? 'exclude';
  if (hidden === 'exclude') conditions.push(isNull(feedback.hiddenAt));
  if (hidden === 'only') conditions.push(isNotNull(feedback.hiddenAt));
  if (filter.status === 'overdue') conditions.push(eq(feedback.status, 'open'), lt(feedback.dueOn, filter.today));
  else if (filter.status) conditions.push(eq(feedback.status, filter.status));
  if (filter.kind) conditions.push(eq(feedback.kind, filter.kind));
  if (filter.agencyId) conditions.push(eq(feedback.agencyId, filter.agencyId));
  if (filter.heldByDoit) conditions.push(isNull(feedback.agencyId));
  if (filter.topicId) conditions.push(eq(feedback.topicId, filter.topicId));
  if (filter.datasetId) conditions.push(eq(feedback.datasetId, filter.datasetId));
  return conditions.length ? and(...conditions) : undefined;
}

/**
 * A page of feedback and the total. The page's ids are found first without the names around them,
 * so nothing is joined when there is nothing to show (most datasets have no feedback, and planning
 * the seven-table join costs more than running it) and only the page's rows are joined otherwise.
 * A page that is not full already tells the total: only a full or an empty page past the first counts.
 */
export async function listFeedback(db: Queryable, filter: FeedbackFilter, options: { limit: number; offset: number }): Promise<{ rows: FeedbackRow[]; total: number }> {
  const where = whereOf(filter);
  const order = [desc(feedback.receivedAt), desc(feedback.number)];
  const page = await db.select({ id: feedback.id }).from(feedback).where(where).orderBy(...order).limit(options.limit).offset(options.offset);
  const rows = page.length === 0 ? [] : await selectWithNames(db).where(inArray(feedback.id, page.map((row) => row.id))).orderBy(...order);
  if (page.length < options.limit && (page.length > 0 || options.offset === 0)) return { rows, total: options.offset + page.length };
  const [{ total }] = await db.select({ total: count() }).from(feedback).where(where);
  return { rows, total };
}

/** What waits for an answer: open and not hidden, held by this agency (or by DOIT when null). */
export async function countAwaitingAnswer(db: Queryable, agencyId: string | null): Promise<number> {
  const [{ total }] = await db
    .select({ total: count() })
    .from(feedback)
    .where(and(eq(feedback.status, 'open'), isNull(feedback.hiddenAt), agencyId ? eq(feedback.agencyId, agencyId) : isNull(feedback.agencyId)));
  return total;
}

/** Per holder (agency, or DOIT as null): feedback waiting for an answer and how much of it is past its due day. */
export async function countOpenByHolder(db: Queryable, today: string) {
  return db
    .select({
      agencyId: feedback.agencyId,
      agencyName: agencies.name,
      open: count(),
      overdue: sql<number>`count(*) filter (where ${feedback.dueOn} < ${today})`.mapWith(Number),
    })
    .from(feedback)
    .leftJoin(agencies, eq(agencies.id, feedback.agencyId))
    .where(and(eq(feedback.status, 'open'), isNull(feedback.hiddenAt)))
    .groupBy(feedback.agencyId, agencies.name)
    .orderBy(desc(sql`count(*) filter (where ${feedback.dueOn} < ${today})`), asc(agencies.name));
}

/** Addresses to tell about new feedback: the holding agency's enabled accounts, or DOIT's. */
export async function listHolderEmails(db: Queryable, agencyId: string | null): Promise<string[]> {
  const rows = await db
    .select({ email: users.email })
    .from(users)
    .where(and(agencyId ? eq(users.agencyId, agencyId) : eq(users.role, 'admin'), isNull(users.disabledAt)));
  return rows.map((row) => row.email);
}

/** A dataset the public can see, with the agency and topic group feedback about it goes to. */
export async function findPublishedDatasetTarget(db: Queryable, by: { id?: string; slug?: string }) {
  const [row] = await db
    .select({ id: datasets.id, slug: datasets.slug, agencyId: datasets.agencyId, topicId: datasetRevisions.topicId, title: datasetRevisions.title })
    .from(datasets)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, datasets.publishedRevisionId))
    .where(by.id ? eq(datasets.id, by.id) : eq(datasets.slug, by.slug ?? ''))
    .limit(1);
  return row;
}

/** Active agencies other than the given one, for DOIT's reassign list. */
export async function listAgencyChoices(db: Queryable, exceptId: string | null) {
  return db
    .select({ id: agencies.id, name: agencies.name })
    .from(agencies)
    .where(exceptId ? and(eq(agencies.active, true), ne(agencies.id, exceptId)) : eq(agencies.active, true))
    .orderBy(asc(agencies.name));
}

/** Whether an agency exists and is active (feedback cannot be sent to a closed agency). */
export async function isActiveAgency(db: Queryable, id: string): Promise<boolean> {
  const [row] = await db.select({ id: agencies.id }).from(agencies).where(and(eq(agencies.id, id), eq(agencies.active, true))).limit(1);
  return Boolean(row);
}
