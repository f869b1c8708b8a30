import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { users } from '../accounts/accounts.table.ts';
import { datasetRevisions } from '../datasets/datasets.table.ts';
import { topics } from '../topics/topics.table.ts';
import { type RevisionReview, revisionReviews } from './reviews.table.ts';

export async function insertReview(db: Queryable, values: typeof revisionReviews.$inferInsert): Promise<RevisionReview> {
  const [review] = await db.insert(revisionReviews).values(values).returning();
  return review;
}

/** The whole approval history of a dataset, oldest first, with who did each step. */
export async function listReviewsOfDataset(db: Queryable, datasetId: string) {
  return db
    .select({ review: revisionReviews, revisionNumber: datasetRevisions.number, actorName: users.displayName })
    .from(revisionReviews)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, revisionReviews.revisionId))
    .leftJoin(users, eq(users.id, revisionReviews.actorId))
    .where(eq(datasetRevisions.datasetId, datasetId))
    .orderBy(asc(revisionReviews.at));
}

/** The latest leader's comment of each returned revision, for the officer's inbox. */
export async function latestReturnComments(db: Queryable, revisionIds: string[]): Promise<Map<string, string>> {
  if (revisionIds.length === 0) return new Map();
  const rows = await db
    .select({ revisionId: revisionReviews.revisionId, comment: revisionReviews.comment, action: revisionReviews.action })
    .from(revisionReviews)
    .where(inArray(revisionReviews.revisionId, revisionIds))
    .orderBy(asc(revisionReviews.at));
  const comments = new Map<string, string>();
  for (const row of rows) if (row.action === 'return') comments.set(row.revisionId, row.comment);
  return comments;
}

/** The leader's latest return of this revision, with who returned it: the directions the officer works to. */
export async function latestReturnOf(db: Queryable, revisionId: string) {
  const [row] = await db
    .select({ review: revisionReviews, actorName: users.displayName })
    .from(revisionReviews)
    .leftJoin(users, eq(users.id, revisionReviews.actorId))
    .where(and(eq(revisionReviews.revisionId, revisionId), eq(revisionReviews.action, 'return')))
    .orderBy(desc(revisionReviews.at))
    .limit(1);
  return row;
}

/** The names of the topics a review mentions, in one query (the diff names topics, not ids). */
export async function topicNamesOf(db: Queryable, ids: string[]): Promise<Map<string, { nameVi: string; nameEn: string }>> {
  const wanted = [...new Set(ids.filter(Boolean))];
  if (wanted.length === 0) return new Map();
  const rows = await db.select({ id: topics.id, nameVi: topics.nameVi, nameEn: topics.nameEn }).from(topics).where(inArray(topics.id, wanted));
  return new Map(rows.map((row) => [row.id, { nameVi: row.nameVi, nameEn: row.nameEn }]));
}
