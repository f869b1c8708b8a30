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
    startSession(token: string, expiresAt: Date): FastifyReply;
    endSession(): FastifyReply;
  }
  interface FastifyInstance {
    sessionPolicy: SessionPolicy;
    sessionCookieName: string;
  }
}

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

    app.decorateReply('startSession', function startSession(this: FastifyReply, token: string, expiresAt: Date) {
      return this.setCookie(cookieName, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: expiresAt });
    });
    app.decorateReply('endSession', function endSession(this: FastifyReply) {
      return this.clearCookie(cookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure });
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
