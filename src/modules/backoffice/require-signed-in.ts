import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { wantsJson } from '../../lib/requests.ts';
import { can } from '../accounts/permissions.ts';
import { feedbackCount } from '../feedback/feedback.service.ts';
import { inboxCount } from '../reviews/inbox.service.ts';
import { backofficeNav } from './backoffice.nav.ts';

/**
 * The coarse gate of every back-office route (services still check each verb): a session is needed,
 * and a password set by DOIT must be replaced before anything else.
 */
export async function requireSignedIn(request: FastifyRequest, reply: FastifyReply) {
  if (!request.actor) {
    if (wantsJson(request) || request.method !== 'GET') throw new AppError(401, 'unauthenticated', 'accounts.sign_in_required');
    return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
  }
  const path = new URL(request.url, 'http://portal.local').pathname;
  if (request.user?.mustChangePassword && path !== '/account/password') {
    if (request.method === 'GET') return reply.redirect('/account/password');
    throw new AppError(403, 'password_change_required', 'accounts.must_change_password');
  }
  if (!can(request.actor, 'backoffice.enter')) throw new AppError(403, 'forbidden', 'errors.forbidden');
  request.nav = backofficeNav(request.actor, path, request.t, {
    '/admin/inbox': await inboxCount(request.server.db, request.actor),
    '/admin/feedback': await feedbackCount(request.server.db, request.actor),
  });
}
