import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyReply {
    /** A one-time message (translation key) shown on the next page, after a redirect. */
    flash(messageKey: string, params?: Record<string, string>, kind?: 'success' | 'error'): FastifyReply;
  }
  interface FastifyRequest {
    flashMessage: { key: string; params: Record<string, string>; kind: 'success' | 'error' } | null;
  }
}

const cookieName = 'portal_flash';

export default fp(
  async (app) => {
    app.decorateRequest('flashMessage', null);
    app.decorateReply('flash', function flash(this: FastifyReply, messageKey: string, params: Record<string, string> = {}, kind: 'success' | 'error' = 'success') {
      return this.setCookie(cookieName, JSON.stringify({ key: messageKey, params, kind }), { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 });
    });
    app.addHook('onRequest', async (request, reply) => {
      const raw = request.cookies[cookieName];
      if (!raw || request.url.startsWith('/public/')) return;
      reply.clearCookie(cookieName, { path: '/' });
      try {
        const parsed = JSON.parse(raw) as { key?: unknown; params?: unknown; kind?: unknown };
        // Only message keys of our own catalogue are shown: a forged cookie cannot inject text.
        if (typeof parsed.key === 'string' && /^[a-z_]+\.[a-z_]+$/.test(parsed.key)) {
          const kind = parsed.kind === 'error' ? 'error' : 'success';
          request.flashMessage = { key: parsed.key, params: (parsed.params as Record<string, string>) ?? {}, kind };
        }
      } catch {
        // A damaged cookie is ignored.
      }
    });
  },
  { name: 'flash', dependencies: ['@fastify/cookie'] },
);
