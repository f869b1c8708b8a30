import type { Database, Queryable } from '../../db/client.ts';
import { conflict, fieldError } from '../../lib/errors.ts';
import type { Actor } from '../accounts/permissions.ts';
import { authorizeDataset, datasetAbilities } from '../datasets/datasets.policy.ts';
import { queueReviewMail } from './review-notifications.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { loadDataset } from '../datasets/drafts.service.ts';
import { findOpenRevision, findRevisionById, updateDataset, updateRevision } from '../datasets/revisions.repository.ts';
import { listResourcesOfRevision } from '../resources/resources.repository.ts';
import type { Resource } from '../resources/resources.table.ts';
import type { Dataset, DatasetRevision } from '../datasets/datasets.table.ts';
import { diffRevisions, snapshotOf, summarise } from './revision-diff.ts';
import { enqueueSearchUpdate } from '../search/search.outbox.ts';
import { insertReview, latestReturnOf, listReviewsOfDataset, topicNamesOf } from './reviews.repository.ts';
import { requestDatastoreLoads } from '../datastore/datastore.service.ts';

/** Personal-data flags of a revision's files, with the file they were found in. */
export function piiFlagsOf(resources: Resource[]) {
  return resources.flatMap((resource) => resource.piiFlags.map((flag) => ({ ...flag, resourceName: resource.name })));
}

/** Where mail about a step links to; without it (scripts, tests of the flow alone) no mail is queued. */
export interface StepMail {
  baseUrl: string;
}

/** Officer → leader (782 Art. 8.3). A revision waiting for review cannot be sent twice. */
export async function submitForReview(db: Database, actor: Actor | null, datasetId: string, mail?: StepMail) {
  return db.transaction(async (tx) => {
    const dataset = await loadDataset(tx, datasetId, { forUpdate: true });
    const open = await openRevisionOf(tx, dataset);
    authorizeDataset(actor, 'submit', { dataset, open });
    const revision = open as DatasetRevision;
    if ((await listResourcesOfRevision(tx, revision.id)).length === 0) throw conflict('reviews.needs_resource');
    const updated = await updateRevision(tx, revision.id, { state: 'pending_review', submittedAt: new Date() });
    await insertReview(tx, { revisionId: revision.id, action: 'submit', actorId: actor.id });
    await recordAudit(tx, actor, { action: 'dataset.submit', objectType: 'dataset', objectId: dataset.id, objectLabel: updated.title, details: { revision: updated.number } });
    if (mail) await queueReviewMail(tx, 'submitted', dataset, updated, mail.baseUrl);
    return { dataset, revision: updated };
  });
}

/**
 * The revision in the works, read under the dataset's row lock (a second decision made at the same
 * moment waits, then meets the new state). The policy of each verb then decides whether its state fits.
 */
async function openRevisionOf(tx: Queryable, dataset: Dataset) {
  return (await findOpenRevision(tx, dataset.id)) ?? null;
}

/**
 * The leader approves: the revision becomes the public one under its topic group, the one it
 * replaces is kept as history. Files with personal-data flags need the leader's explicit confirmation.
 */
export async function approve(db: Database, actor: Actor | null, datasetId: string, input: { piiConfirmed: boolean; comment: string }, mail?: StepMail) {
  return db.transaction(async (tx) => {
    const dataset = await loadDataset(tx, datasetId, { forUpdate: true });
    const open = await openRevisionOf(tx, dataset);
    authorizeDataset(actor, 'approve', { dataset, open });
    const revision = open as DatasetRevision;
    const resources = await listResourcesOfRevision(tx, revision.id);
    const flags = piiFlagsOf(resources);
    if (flags.length > 0 && !input.piiConfirmed) throw fieldError('piiConfirmed', 'reviews.pii_confirmation_required');
    const previous = dataset.publishedRevisionId ? await findRevisionById(tx, dataset.publishedRevisionId) : undefined;
    const previousResources = previous ? await listResourcesOfRevision(tx, previous.id) : [];
    const summary = summarise(diffRevisions(previous ? { revision: previous, resources: previousResources } : null, { revision, resources }));
    const now = new Date();
    if (previous) await updateRevision(tx, previous.id, { state: 'superseded' });
    const published = await updateRevision(tx, revision.id, { state: 'published', publishedAt: now, changeSummary: summary });
    await updateDataset(tx, dataset.id, {
      publishedRevisionId: revision.id,
      firstPublishedAt: dataset.firstPublishedAt ?? now,
      withdrawnAt: null,
      withdrawnReason: null,
    });
    await enqueueSearchUpdate(tx, [dataset.id]);
    await requestDatastoreLoads(tx, resources);
    await insertReview(tx, { revisionId: revision.id, action: 'approve', actorId: actor.id, comment: input.comment, piiConfirmed: flags.length > 0 && input.piiConfirmed });
    await recordAudit(tx, actor, {
      action: 'dataset.approve',
      objectType: 'dataset',
      objectId: dataset.id,
      objectLabel: published.title,
      details: { revision: published.number, piiFlags: flags.length, piiConfirmed: flags.length > 0 && input.piiConfirmed, changes: summary },
    });
    if (mail) await queueReviewMail(tx, 'approved', dataset, published, mail.baseUrl);
    return { dataset, revision: published };
  });
}

/** The leader returns the revision to the officer with written directions (required). */
export async function returnToOfficer(db: Database, actor: Actor | null, datasetId: string, comment: string, mail?: StepMail) {
  if (comment.trim().length === 0) throw fieldError('comment', 'reviews.comment_required');
  return db.transaction(async (tx) => {
    const dataset = await loadDataset(tx, datasetId, { forUpdate: true });
    const open = await openRevisionOf(tx, dataset);
    authorizeDataset(actor, 'return', { dataset, open });
    const revision = open as DatasetRevision;
    const returned = await updateRevision(tx, revision.id, { state: 'returned' });
    const snapshot = snapshotOf(revision, await listResourcesOfRevision(tx, revision.id));
    await insertReview(tx, { revisionId: revision.id, action: 'return', actorId: actor.id, comment, snapshot });
    await recordAudit(tx, actor, { action: 'dataset.return', objectType: 'dataset', objectId: dataset.id, objectLabel: returned.title, details: { revision: returned.number, comment } });
    if (mail) await queueReviewMail(tx, 'returned', dataset, returned, mail.baseUrl, comment);
    return { dataset, revision: returned };
  });
}

/** A leader (or DOIT) takes a published dataset offline, with a reason. Its history is kept. */
export async function withdraw(db: Database, actor: Actor | null, datasetId: string, reason: string) {
  if (reason.trim().length === 0) throw fieldError('reason', 'reviews.reason_required');
  return db.transaction(async (tx) => {
    const dataset = await loadDataset(tx, datasetId, { forUpdate: true });
    authorizeDataset(actor, 'withdraw', { dataset, open: null });
    const revision = await updateRevision(tx, dataset.publishedRevisionId as string, { state: 'withdrawn' });
    await updateDataset(tx, dataset.id, { publishedRevisionId: null, withdrawnAt: new Date(), withdrawnReason: reason });
    await enqueueSearchUpdate(tx, [dataset.id]);
    await insertReview(tx, { revisionId: revision.id, action: 'withdraw', actorId: actor.id, comment: reason });
    await recordAudit(tx, actor, { action: 'dataset.withdraw', objectType: 'dataset', objectId: dataset.id, objectLabel: revision.title, details: { reason } });
    return { dataset, revision };
  });
}

/** What the leader sees before deciding: the candidate, the public revision, their differences, flags and history. */
export async function reviewOf(db: Queryable, actor: Actor | null, datasetId: string) {
  const dataset = await loadDataset(db, datasetId);
  authorizeDataset(actor, 'read', { dataset, open: null });
  const candidate = await findOpenRevision(db, dataset.id);
  const current = dataset.publishedRevisionId ? await findRevisionById(db, dataset.publishedRevisionId) : undefined;
  const candidateResources = candidate ? await listResourcesOfRevision(db, candidate.id) : [];
  const currentResources = current ? await listResourcesOfRevision(db, current.id) : [];
  const diff = candidate
    ? diffRevisions(current ? { revision: current, resources: currentResources } : null, { revision: candidate, resources: candidateResources })
    : null;
  // A resent revision: what changed since the leader returned it, against what they saw then.
  const returned = candidate?.state === 'pending_review' ? await latestReturnOf(db, candidate.id) : undefined;
  const sinceReturn =
    candidate && returned?.review.snapshot
      ? {
          at: returned.review.at,
          comment: returned.review.comment,
          diff: diffRevisions({ revision: returned.review.snapshot.fields, resources: returned.review.snapshot.resources }, { revision: candidate, resources: candidateResources }),
        }
      : null;
  // The diffs name topics by id: their names, for every topic either diff mentions, in one query.
  const topicIds = [diff, sinceReturn?.diff].flatMap((d) => d?.fields.filter((change) => change.field === 'topicId').flatMap((change) => [change.before, change.after]) ?? []);
  return {
    dataset,
    candidate: candidate ?? null,
    current: current ?? null,
    diff,
    sinceReturn,
    topicNames: await topicNamesOf(db, topicIds),
    piiFlags: piiFlagsOf(candidateResources),
    history: await listReviewsOfDataset(db, dataset.id),
    can: datasetAbilities(actor, dataset, candidate ?? null),
  };
}
