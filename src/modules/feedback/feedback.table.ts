import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, serial, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.table.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { datasets } from '../datasets/datasets.table.ts';
import { topics } from '../topics/topics.table.ts';

/** The kinds of feedback of 782 Art. 9.1: a request for data (or a priority), or a problem with data. */
export const feedbackKinds = ['data_request', 'quality', 'usability', 'format', 'legal', 'other'] as const;
export type FeedbackKind = (typeof feedbackKinds)[number];

/** open → answered → resolved, or declined (with a reason) at any point before. */
export const feedbackStatuses = ['open', 'answered', 'resolved', 'declined'] as const;
export type FeedbackStatus = (typeof feedbackStatuses)[number];

/**
 * A citizen's feedback (782 Art. 9). The agency that holds it must publish an answer by `dueOn`
 * (Art. 9.2); no agency means DOIT holds it until it reassigns it. The submitter's name and e-mail
 * are for a reply only and never leave the back office.
 */
export const feedback = pgTable(
  'feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** A short public reference ("Góp ý số 12"). */
    number: serial('number').notNull().unique(),
    kind: text('kind', { enum: feedbackKinds }).notNull(),
    title: text('title').notNull(),
    message: text('message').notNull(),
    submitterName: text('submitter_name'),
    submitterEmail: text('submitter_email'),
    /** The submitter's language, for the mail that tells them about the answer. */
    submitterLocale: text('submitter_locale').notNull().default('vi'),
    datasetId: uuid('dataset_id').references(() => datasets.id, { onDelete: 'set null' }),
    agencyId: uuid('agency_id').references(() => agencies.id),
    topicId: uuid('topic_id').references(() => topics.id, { onDelete: 'set null' }),
    status: text('status', { enum: feedbackStatuses }).notNull().default('open'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** Computed at receipt from the deadline settings of that day (a date in the province's time). */
    dueOn: date('due_on').notNull(),
    /** When the first public answer (or a reason to decline) was published: the clock stops here. */
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** Why it was resolved or declined; shown publicly. */
    closedReason: text('closed_reason'),
    forwardedAt: timestamp('forwarded_at', { withTimezone: true }),
    /** What the agency told DOIT when it forwarded the feedback. */
    forwardNote: text('forward_note'),
    /** The dataset that later answered a data request (issue 6, point 7). */
    linkedDatasetId: uuid('linked_dataset_id').references(() => datasets.id, { onDelete: 'set null' }),
    /** Set by DOIT moderation; hidden feedback leaves every public page. The reason is also in the audit log. */
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
    hiddenReason: text('hidden_reason'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('feedback_agency_status_idx').on(table.agencyId, table.status),
    index('feedback_dataset_idx').on(table.datasetId),
    index('feedback_received_idx').on(table.receivedAt),
    check('feedback_kind_check', sql`${table.kind} in ('data_request', 'quality', 'usability', 'format', 'legal', 'other')`),
    check('feedback_status_check', sql`${table.status} in ('open', 'answered', 'resolved', 'declined')`),
  ],
);

/**
 * Every version of an agency's answer: answering again edits the public answer and keeps the
 * earlier text here. The public sees the latest.
 */
export const feedbackAnswers = pgTable(
  'feedback_answers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    feedbackId: uuid('feedback_id')
      .notNull()
      .references(() => feedback.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    body: text('body').notNull(),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    /** The agency that answered (the feedback may be reassigned later). */
    agencyId: uuid('agency_id').references(() => agencies.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique('feedback_answers_version_unique').on(table.feedbackId, table.version)],
);

export type Feedback = typeof feedback.$inferSelect;
export type NewFeedback = typeof feedback.$inferInsert;
export type FeedbackAnswer = typeof feedbackAnswers.$inferSelect;
