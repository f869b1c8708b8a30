import type { FastifyInstance, FastifyReply } from 'fastify';
import { type FieldErrors, keptValues, parseForm } from '../../lib/forms.ts';
import { requireUuid } from '../../lib/ids.ts';
import { requireSignedIn } from '../backoffice/require-signed-in.ts';
import { presentApiToken } from './api-tokens.presenter.ts';
import { apiTokenForm } from './api-tokens.schemas.ts';
import { browseApiTokens, createApiToken, revokeToken } from './api-tokens.service.ts';
import { scopeOf } from '../accounts/permissions.ts';

/** Officers (and DOIT) make tokens for their agency's systems to call the Action API (782 Art. 8.4). */
export default async function apiTokenRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireSignedIn);

  async function renderList(reply: FastifyReply, input: { values?: Record<string, string>; errors?: FieldErrors; newToken?: string } = {}) {
    const request = reply.request;
    const rows = await browseApiTokens(app.db, request.actor);
    return reply.page('admin/api-tokens', {
      title: request.t('apitokens.title'),
      tokens: rows.map((row) => presentApiToken(row, request.t)),
      showOwner: request.actor ? scopeOf(request.actor).kind === 'province' : false,
      values: input.values ?? {},
      errors: input.errors ?? {},
      newToken: input.newToken ?? null,
    });
  }

  app.get('/admin/api-tokens', async (_request, reply) => renderList(reply));

  app.post('/admin/api-tokens', async (request, reply) => {
    const parsed = parseForm(apiTokenForm, request.body);
    if (!parsed.ok) return renderList(reply.code(422), { values: keptValues(request.body), errors: parsed.errors });
    const { token } = await createApiToken(app.db, request.actor, parsed.data);
    // Shown on this answer only: it is not stored, and never put in a redirect or a flash.
    reply.header('cache-control', 'no-store');
    return renderList(reply, { newToken: token });
  });

  app.post<{ Params: { id: string } }>('/admin/api-tokens/:id/revoke', async (request, reply) => {
    await revokeToken(app.db, request.actor, requireUuid(request.params.id, 'apitokens.not_found'));
    return reply.flash('apitokens.revoked').redirect('/admin/api-tokens');
  });
}
