import fp from 'fastify-plugin';
import { isLocale, type Locale, type Translate, translator } from '../i18n/i18n.ts';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
  }
}

const cookieName = 'lang';
const oneYearSeconds = 365 * 24 * 3600;

/**
 * The visitor's language: `?lang=en` chooses it and a cookie keeps it, otherwise DEFAULT_LOCALE.
 * Only a preference cookie is set on GET; no data changes.
 */
export default fp(
  async (app) => {
    app.decorateRequest('locale', 'vi');
    app.decorateRequest('t', null as unknown as Translate);
    app.addHook('onRequest', async (request, reply) => {
      const asked = (request.query as Record<string, unknown> | undefined)?.lang;
      let locale: Locale = app.config.DEFAULT_LOCALE;
      if (isLocale(asked)) {
        locale = asked;
        reply.setCookie(cookieName, asked, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: oneYearSeconds });
      } else if (isLocale(request.cookies[cookieName])) {
        locale = request.cookies[cookieName] as Locale;
      }
      request.locale = locale;
      request.t = translator(locale);
    });
  },
  { name: 'i18n', dependencies: ['@fastify/cookie'] },
);
