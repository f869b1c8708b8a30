import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../../db/client.ts';
import { honeypotField } from './feedback.antispam.ts';
import { presentPublicFeedback } from './feedback.presenter.ts';
import { feedbackLimits } from './feedback.schemas.ts';
import { publicFeedbackOfDataset } from './feedback.service.ts';
import { feedbackKinds } from './feedback.table.ts';

// What other pages show of feedback: the public form's choices and the dataset page's section.

export function kindOptions(request: FastifyRequest, withPrompt = true) {
  return [
    ...(withPrompt ? [{ value: '', label: request.t('feedback.choose_kind') }] : []),
    ...feedbackKinds.map((kind) => ({ value: kind, label: request.t(`feedback.kind_${kind}`) })),
  ];
}

/**
 * What the feedback form needs besides values and errors: a fresh stamp and its choices. The stamp
 * is a page-cache hole, issued when the page is served: a cached copy's stamp would let a robot
 * through the minimum fill time.
 */
export function feedbackFormContext(reply: FastifyReply) {
  return { stamp: reply.hole('feedback-stamp'), honeypotField, kindOptions: kindOptions(reply.request), limits: feedbackLimits };
}

/**
 * What the dataset page shows of feedback: the published answers about it and the form. A caller
 * that already knows the dataset has no public feedback (`hasPublic: false`, read with the dataset)
 * spares the query: most datasets have none.
 */
export async function datasetFeedbackSection(db: Queryable, reply: FastifyReply, dataset: { id: string; slug: string }, known: { hasPublic?: boolean } = {}) {
  const request = reply.request;
  const { items, total } = known.hasPublic === false ? { items: [], total: 0 } : await publicFeedbackOfDataset(db, dataset.id);
  return {
    datasetId: dataset.id,
    items: items.map((item) => presentPublicFeedback(item, request.locale)),
    total,
    moreUrl: `/feedback?dataset=${encodeURIComponent(dataset.slug)}`,
    form: { ...feedbackFormContext(reply), values: { kind: '' }, errors: {} },
  };
}
