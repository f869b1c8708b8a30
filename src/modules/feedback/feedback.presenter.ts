import { formatDate, type Locale, type Message } from '../../i18n/i18n.ts';
import { daysBetween as daysBetweenDays, vietnamDay } from '../../lib/calendar.ts';
import { daysBetween, isOverdue } from './feedback.deadline.ts';
import type { FeedbackRow } from './feedback.repository.ts';
import type { FeedbackWithAnswer } from './feedback.service.ts';
import type { FeedbackAnswer, FeedbackKind, FeedbackStatus } from './feedback.table.ts';
import { localized } from '../../lib/localized.ts';

/** The public shape of a feedback item. The submitter's name and e-mail are not in it, on purpose. */
export interface PublicFeedbackView {
  id: string;
  number: number;
  url: string;
  kind: FeedbackKind;
  status: FeedbackStatus;
  title: string;
  message: string;
  /** null: DOIT holds it. */
  agency: { name: string; url: string } | null;
  topic: { name: string; url: string } | null;
  dataset: { title: string; url: string } | null;
  linkedDataset: { title: string; url: string } | null;
  receivedAt: Date;
  dueOn: string;
  answer: { body: string; at: Date; edited: boolean } | null;
  closedReason: string | null;
  /** Calendar days from receipt to the first answer; null while unanswered. */
  daysToAnswer: number | null;
  overdue: boolean;
  /** Days past the due day (answered late, or still waiting). */
  daysLate: number;
  /** One sentence about the clock: "answered in 3 days", "overdue by 2 days", "answer due by …". */
  timing: Message;
}

function timingOf(daysToAnswer: number | null, daysLate: number, dueOn: string, locale: Locale): Message {
  const due = formatDate(locale, dueOn);
  if (daysToAnswer === null) return daysLate > 0 ? { key: 'feedback.timing_overdue', params: { late: daysLate, due } } : { key: 'feedback.timing_due', params: { due } };
  if (daysLate > 0) return { key: 'feedback.timing_answered_late', params: { days: daysToAnswer, late: daysLate } };
  if (daysToAnswer === 0) return { key: 'feedback.timing_answered_same_day' };
  return { key: daysToAnswer === 1 ? 'feedback.timing_answered_one_day' : 'feedback.timing_answered', params: { days: daysToAnswer } };
}

function daysAfter(dueOn: string, at: Date): number {
  return Math.max(0, daysBetweenDays(dueOn, vietnamDay(at)));
}

export function presentPublicFeedback({ row, latest }: FeedbackWithAnswer, locale: Locale, now = new Date()): PublicFeedbackView {
  const item = row.feedback;
  const overdue = isOverdue(item.dueOn, item.answeredAt, now);
  const daysToAnswer = item.answeredAt ? daysBetween(item.receivedAt, item.answeredAt) : null;
  const daysLate = overdue ? daysAfter(item.dueOn, item.answeredAt ?? now) : 0;
  return {
    id: item.id,
    number: item.number,
    url: `/feedback/${item.id}`,
    kind: item.kind,
    status: item.status,
    title: item.title,
    message: item.message,
    agency: row.agency ? { name: row.agency.name, url: `/organization/${row.agency.slug}` } : null,
    topic: row.topic ? { name: localized(row.topic, 'name', locale), url: `/group/${row.topic.slug}` } : null,
    dataset: row.dataset?.slug && row.dataset.title ? { title: row.dataset.title, url: `/dataset/${row.dataset.slug}` } : null,
    linkedDataset: row.linkedDataset?.slug && row.linkedDataset.title ? { title: row.linkedDataset.title, url: `/dataset/${row.linkedDataset.slug}` } : null,
    receivedAt: item.receivedAt,
    dueOn: item.dueOn,
    answer: latest ? { body: latest.answer.body, at: latest.answer.at, edited: latest.versions > 1 } : null,
    closedReason: item.closedReason,
    daysToAnswer,
    overdue,
    daysLate,
    timing: timingOf(daysToAnswer, daysLate, item.dueOn, locale),
  };
}

/** The back-office shape: the public one plus what only the holder and DOIT see. */
export function presentOfficeFeedback(
  row: FeedbackRow,
  latest: FeedbackWithAnswer['latest'],
  locale: Locale,
  answers: Array<{ answer: FeedbackAnswer; authorName: string | null; agencyName: string | null }> = [],
  now = new Date(),
) {
  const item = row.feedback;
  return {
    ...presentPublicFeedback({ row, latest }, locale, now),
    adminUrl: `/admin/feedback/${item.id}`,
    submitterName: item.submitterName,
    submitterEmail: item.submitterEmail,
    forwardedAt: item.forwardedAt,
    forwardNote: item.forwardNote,
    hiddenAt: item.hiddenAt,
    hiddenReason: item.hiddenReason,
    history: answers.map((entry) => ({ version: entry.answer.version, body: entry.answer.body, at: entry.answer.at, authorName: entry.authorName ?? '—', agencyName: entry.agencyName })),
  };
}

export type OfficeFeedbackView = ReturnType<typeof presentOfficeFeedback>;
