import type { FastifyReply } from 'fastify';

/**
 * Destructive actions ask first. With JavaScript a <dialog> asks and the form arrives with
 * confirm=yes; without it the form arrives bare and the person gets a page that asks the same
 * question, whose button posts the same fields again with confirm=yes.
 */
export function isConfirmed(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as Record<string, unknown>).confirm === 'yes';
}

export interface Confirmation {
  /** The question, already translated ("Remove the file X from the draft?"). */
  question: string;
  /** What happens, in one sentence (already translated), or nothing. */
  consequence?: string;
  /** The label of the button that acts (already translated). */
  confirmLabel: string;
  action: string;
  cancelUrl: string;
  /** Fields the first form sent (e.g. the reason of a withdrawal), posted again as they were. */
  fields?: Record<string, string>;
}

export function askToConfirm(reply: FastifyReply, confirmation: Confirmation) {
  return reply.page('admin/confirm', {
    title: confirmation.question,
    ...confirmation,
    fields: Object.entries(confirmation.fields ?? {}).map(([name, value]) => ({ name, value })),
  });
}
