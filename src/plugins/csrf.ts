import { randomBytes } from 'node:crypto';
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a route whose state-changing requests carry no browser cookie (a future token API). */
    skipCsrf?: boolean;
  }
  interface FastifyReply {
    /**
     * On a multipart route that declared `csrfInMultipartField`, checks the `_csrf` field the form
     * sends before its file; the route calls it with the fields it has read, before any change.
     */
    verifyMultipartCsrf(token: unknown): Promise<void>;
    /** A new CSRF secret: tokens issued before (e.g. before sign-in) stop working. */
    rotateCsrfSecret(): FastifyReply;
  }
  interface FastifyContextConfig {
    /**
     * A multipart upload whose token comes as the form's first field (read by the handler after
     * parsing), so that it never travels in the URL and the access log (issue 10, finding 11).
     */
    csrfInMultipartField?: boolean;
  }
}

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const isMultipart = (request: FastifyRequest) => request.headers['content-type']?.startsWith('multipart/form-data') ?? false;

/**
 * Every state-changing request must carry the CSRF token of its form (field `_csrf`) or an
 * X-CSRF-Token header. The secret lives in an HttpOnly cookie and is replaced at sign-in. The check
 * runs in preHandler, the first hook where a form body has been parsed; a multipart upload is
 * streamed by its handler, so a route that says so checks the token field itself once it is read.
 */
export default fp(
  async (app) => {
    const secure = app.config.BASE_URL?.startsWith('https://') ?? false;
    const cookieKey = secure ? '__Host-portal_csrf' : 'portal_csrf';
    const cookieOpts = { path: '/', sameSite: 'lax' as const, httpOnly: true, secure };
    // Tokens checked after parsing a multipart body, handed to the library's check below.
    const deferredTokens = new WeakMap<FastifyRequest, string>();
    await app.register(fastifyCsrf, {
      getToken: (request) => {
        const deferred = deferredTokens.get(request);
        if (deferred !== undefined) return deferred;
        const body = request.body as { _csrf?: string } | undefined;
        const header = request.headers['x-csrf-token'];
        return body?._csrf ?? (typeof header === 'string' ? header : undefined) ?? '';
      },
      cookieKey,
      cookieOpts,
    });

    function check(request: FastifyRequest, reply: FastifyReply) {
      return new Promise<void>((resolve, reject) => {
        app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve()));
      });
    }

    app.decorateReply('verifyMultipartCsrf', async function verifyMultipartCsrf(this: FastifyReply, token: unknown) {
      deferredTokens.set(this.request, typeof token === 'string' ? token : '');
      await check(this.request, this);
    });

    app.decorateReply('rotateCsrfSecret', function rotateCsrfSecret(this: FastifyReply) {
      return this.setCookie(cookieKey, randomBytes(18).toString('base64url'), cookieOpts);
    });

    app.addHook('preHandler', async (request, reply) => {
      if (!stateChanging.has(request.method) || request.skipCsrf) return;
      const header = request.headers['x-csrf-token'];
      if (isMultipart(request) && request.routeOptions.config?.csrfInMultipartField && typeof header !== 'string') return;
      await check(request, reply);
    });
  },
  { name: 'csrf', dependencies: ['@fastify/cookie'] },
);
