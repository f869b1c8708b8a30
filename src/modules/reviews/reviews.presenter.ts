import { formatDate, type Locale, type Translate } from '../../i18n/i18n.ts';
import { presentResourceForReview, stateBadge } from '../datasets/datasets.admin.presenter.ts';
import type { DatasetAbilities } from '../datasets/datasets.policy.ts';
import type { DatasetRevision } from '../datasets/datasets.table.ts';
import type { Inbox } from './inbox.service.ts';
import type { RevisionDiff } from './revision-diff.ts';
import type { RevisionReview } from './reviews.table.ts';
import { localized } from '../../lib/localized.ts';

interface Viewer {
  t: Translate;
  locale: Locale;
}

/** One inbox row: the revision's title and where it leads, and the line under it. */
function presentInboxRow(row: Inbox['pending'][number] & { comment?: string }, viewer: Viewer, toReview: boolean) {
  return {
    title: row.title,
    url: `/admin/datasets/${row.datasetId}${toReview ? '/review' : ''}`,
    agencyName: row.agencyName,
    topicName: localized(row, 'topicName', viewer.locale),
    number: row.number,
    updatedAt: row.updatedAt,
    comment: row.comment ?? '',
  };
}

/** The inbox's four lists, each row whitelisted. */
export function presentInbox(inbox: Inbox, viewer: Viewer) {
  return {
    pending: inbox.pending.map((row) => presentInboxRow(row, viewer, true)),
    returned: inbox.returned.map((row) => presentInboxRow(row, viewer, false)),
    drafts: inbox.drafts.map((row) => presentInboxRow(row, viewer, false)),
    recentlyPublished: inbox.recentlyPublished.map((row) => presentInboxRow(row, viewer, false)),
  };
}

/** A compared field's value as a person reads it: the topic's name, the frequency in words, the date in the portal's style. */
function shownValue(field: string, value: string, topicNames: Map<string, { nameVi: string; nameEn: string }>, viewer: Viewer): string {
  if (!value) return value;
  if (field === 'topicId') {
    const topic = topicNames.get(value);
    return topic ? localized(topic, 'name', viewer.locale) : '';
  }
  if (field === 'updateFrequency') return viewer.t(`frequency.${value}`);
  if (field === 'firstPublicationDate') return formatDate(viewer.locale, value);
  return value;
}

function presentDiff(diff: RevisionDiff, datasetId: string, topicNames: Map<string, { nameVi: string; nameEn: string }>, viewer: Viewer) {
  return {
    fields: diff.fields.map((change) => ({
      label: viewer.t(`datasets.field_${change.field}`),
      before: shownValue(change.field, change.before, topicNames, viewer),
      after: shownValue(change.field, change.after, topicNames, viewer),
    })),
    resources: diff.resources.map((change) => ({
      kind: change.kind,
      kindLabel: viewer.t(`reviews.change_${change.kind}`),
      before: change.before ? presentResourceForReview(change.before, viewer.t, datasetId) : null,
      after: change.after ? presentResourceForReview(change.after, viewer.t, datasetId) : null,
    })),
  };
}

/** The leader's review page: candidate against the public revision, flags, history, and what the viewer may do. */
export function presentReview(
  review: {
    dataset: { id: string; slug: string };
    candidate: DatasetRevision | null;
    current: DatasetRevision | null;
    diff: RevisionDiff | null;
    sinceReturn: { at: Date; comment: string; diff: RevisionDiff } | null;
    topicNames: Map<string, { nameVi: string; nameEn: string }>;
    piiFlags: Array<{ resourceName: string; kind: string; column: string; matches: number; sample?: string | null }>;
    history: Array<{ review: RevisionReview; revisionNumber: number; actorName: string | null }>;
    can: DatasetAbilities;
  },
  viewer: Viewer,
) {
  const { t } = viewer;
  const datasetId = review.dataset.id;
  const { fields, resources } = review.diff ? presentDiff(review.diff, datasetId, review.topicNames, viewer) : { fields: [], resources: [] };
  const sinceReturn = review.sinceReturn
    ? { at: review.sinceReturn.at, comment: review.sinceReturn.comment, ...presentDiff(review.sinceReturn.diff, datasetId, review.topicNames, viewer) }
    : null;
  return {
    title: t('reviews.review_title', { title: review.candidate?.title ?? review.current?.title ?? '' }),
    dataset: { id: review.dataset.id, slug: review.dataset.slug },
    candidate: review.candidate ? { title: review.candidate.title, number: review.candidate.number, state: stateBadge(review.candidate.state, t) } : null,
    current: review.current ? { title: review.current.title, number: review.current.number } : null,
    isFirstPublication: !review.current,
    sinceReturn,
    publicTitle: review.current?.title ?? review.candidate?.title ?? '',
    fields,
    resources,
    piiFlags: review.piiFlags.map((flag) => ({
      resourceName: flag.resourceName,
      text: t(`uploads.pii_${flag.kind}`, { column: flag.column, matches: flag.matches, sample: flag.sample ?? '' }),
    })),
    history: review.history.map((row) => ({
      at: row.review.at,
      actionLabel: t(`reviews.action_${row.review.action}`),
      actorName: row.actorName ?? '—',
      comment: row.review.comment,
      revisionNumber: row.revisionNumber,
      piiConfirmed: row.review.piiConfirmed,
    })),
    can: review.can,
  };
}
