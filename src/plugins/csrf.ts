import fastifyCsrf from '@fastify/csrf-protection';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a route whose state-changing requests carry no browser cookie (a future token API). */
    skipCsrf?: boolean;
  }
}

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every state-changing request must carry the CSRF token of its form (field `_csrf`) or an
 * X-CSRF-Token header. The secret lives in an HttpOnly cookie; the check runs in preHandler, the
 * first hook where a form body has been parsed.
 */
export default fp(
  async (app) => {
    const secure = app.config.BASE_URL?.startsWith('https://') ?? false;
    await app.register(fastifyCsrf, {
      // A multipart upload is read as a stream by its handler, after this check: its token comes in
      // the form's action URL instead of the body.
      getToken: (request) => {
        const body = request.body as { _csrf?: string } | undefined;
        const header = request.headers['x-csrf-token'];
        const query = request.headers['content-type']?.startsWith('multipart/form-data')
          ? (request.query as { _csrf?: string } | undefined)?._csrf
          : undefined;
        return body?._csrf ?? (typeof header === 'string' ? header : undefined) ?? query ?? '';
      },
      cookieKey: secure ? '__Host-portal_csrf' : 'portal_csrf',
      cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure },
    });
    app.addHook('preHandler', async (request, reply) => {
      if (!stateChanging.has(request.method) || request.skipCsrf) return;
      await new Promise<void>((resolve, reject) => {
        app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve()));
      });
    });
  },
  { name: 'csrf', dependencies: ['@fastify/cookie'] },
);
