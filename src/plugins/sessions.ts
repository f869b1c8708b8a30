import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { User } from '../modules/accounts/accounts.table.ts';
import { actorOf } from '../modules/accounts/accounts.service.ts';
import type { Actor } from '../modules/accounts/permissions.ts';
import { type SessionPolicy, validateSessionToken } from '../modules/sessions/sessions.service.ts';
import type { Session } from '../modules/sessions/sessions.table.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
    session: Session | null;
    /** The raw token from the cookie, kept to end exactly this session. */
    sessionToken: string | null;
    /** The signed-in person as services expect them, or null. */
    actor: Actor | null;
  }
  interface FastifyReply {
    startSession(token: string): FastifyReply;
    endSession(): FastifyReply;
  }
  interface FastifyInstance {
    sessionPolicy: SessionPolicy;
    sessionCookieName: string;
  }
}

/** Pages that are personal even before sign-in (forms with tokens, one's account). */
const privatePath = /^\/(admin|account|login|logout|reset-password)(\/|\?|$)/;

/**
 * Reads the session cookie on every request and resolves the person. The cookie is HttpOnly and
 * SameSite=Lax; behind https it is also Secure with the __Host- prefix (no Domain, path /).
 */
export default fp(
  async (app) => {
    const secure = app.config.BASE_URL?.startsWith('https://') ?? false;
    const cookieName = secure ? '__Host-portal_session' : 'portal_session';
    const policy: SessionPolicy = { idleMinutes: app.config.SESSION_IDLE_MINUTES, absoluteHours: app.config.SESSION_ABSOLUTE_HOURS };
    app.decorate('sessionPolicy', policy);
    app.decorate('sessionCookieName', cookieName);
    app.decorateRequest('user', null);
    app.decorateRequest('session', null);
    app.decorateRequest('sessionToken', null);
    app.decorateRequest('actor', null);

    // No Expires or Max-Age: the cookie ends when the browser closes (issue 10, finding 11), while
    // the server still ends the session at its idle and absolute limits.
    app.decorateReply('startSession', function startSession(this: FastifyReply, token: string) {
      return this.setCookie(cookieName, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    });
    app.decorateReply('endSession', function endSession(this: FastifyReply) {
      return this.clearCookie(cookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    });

    // Back-office pages show citizens' names and e-mails: no browser or proxy may keep a copy of
    // them, nor of any answer to a signed-in person (issue 10, finding 11).
    app.addHook('onSend', async (request, reply) => {
      if (request.user || privatePath.test(request.url)) reply.header('cache-control', 'no-store');
    });

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = request.cookies[cookieName];
      if (!token) return;
      // Public pages and assets do not need the person; skip the lookup for static files.
      if (request.url.startsWith('/public/') || request.url.startsWith('/assets/')) return;
      const result = await validateSessionToken(app.db, token, policy);
      if (!result) {
        reply.endSession();
        return;
      }
      request.user = result.user;
      request.session = result.session;
      request.sessionToken = token;
      request.actor = actorOf(result.user, request.ip);
    });
  },
  { name: 'sessions', dependencies: ['@fastify/cookie'] },
);
