import { fileURLToPath } from 'node:url';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { baseUrlOf } from '../lib/base-url.ts';
import { localized } from '../lib/localized.ts';
import { formatBytes, formatDate, formatDateTime, formatNumber } from '../i18n/i18n.ts';
import type { NavItem } from '../modules/backoffice/backoffice.nav.ts';
import type { SiteSettings } from '../modules/settings/settings.defaults.ts';

export const viewsDir = fileURLToPath(new URL('../../views', import.meta.url));

declare module 'fastify' {
  interface FastifyRequest {
    /** The back-office sections this person may open, set by the back-office gate. */
    nav: NavItem[] | null;
  }
  interface FastifyReply {
    /** Renders a page with what every template needs (t, locale, site settings, helpers). */
    page(template: string, data?: Record<string, unknown>): Promise<FastifyReply>;
  }
}

export interface PageContext {
  t: FastifyRequest['t'];
  locale: FastifyRequest['locale'];
  site: SiteSettings;
  title: string;
  path: string;
  /** URL of the same page in the other language. */
  switchLocaleUrl: string;
  canonicalUrl: string;
  /** The current URL with another page number, for paging links. */
  pageUrl(page: number): string;
  /** The signed-in person, shaped for display, or null on anonymous visits. */
  currentUser: { displayName: string; email: string; roleKey: string } | null;
  /** Generates (and sets the cookie for) the CSRF token only on pages that have a form. */
  csrfToken(): string;
  flash: { message: string; kind: 'success' | 'error' } | null;
  nav: NavItem[] | null;
  /** A bilingual column in the reader's language: `it.localized(it.site, 'operatorName')` (see lib/localized.ts). */
  localized<F extends string>(row: Parameters<typeof localized<F>>[0], field: F): string;
  fmt: {
    number(value: number): string;
    date(value: Date | string | null | undefined): string;
    dateTime(value: Date | string | null | undefined): string;
    bytes(value: number | null | undefined): string;
  };
}

function withParam(request: FastifyRequest, name: string, value: string): string {
  const url = new URL(request.url, 'http://portal.local');
  url.searchParams.set(name, value);
  return `${url.pathname}${url.search}`;
}

export default fp(
  async (app) => {
    const production = app.config.NODE_ENV === 'production';
    const eta = new Eta({ views: viewsDir, cache: production, autoEscape: true, autoTrim: false });
    await app.register(fastifyView, { engine: { eta }, templates: viewsDir, production, viewExt: 'eta' });

    app.decorateRequest('nav', null);
    app.decorateReply('page', async function page(this: FastifyReply, template: string, data = {}) {
      const request = this.request;
      const locale = request.locale;
      const pathname = new URL(request.url, 'http://portal.local').pathname;
      // Canonical and Open Graph URLs must be absolute.
      const base = baseUrlOf(app, request);
      const context: PageContext = {
        t: request.t,
        locale,
        site: await app.settings.site(),
        title: '',
        path: pathname,
        switchLocaleUrl: withParam(request, 'lang', locale === 'vi' ? 'en' : 'vi'),
        pageUrl: (pageNumber) => withParam(request, 'page', String(pageNumber)),
        currentUser: request.user
          ? { displayName: request.user.displayName, email: request.user.email, roleKey: `accounts.role_${request.user.role}` }
          : null,
        csrfToken: () => this.hole('csrf'),
        nav: request.nav,
        flash: request.flashMessage
          ? { message: request.t(request.flashMessage.key, request.flashMessage.params), kind: request.flashMessage.kind }
          : null,
        canonicalUrl: `${base}${pathname}`,
        localized: (row, field) => localized(row, field, locale),
        fmt: {
          number: (value) => formatNumber(locale, value),
          date: (value) => formatDate(locale, value),
          dateTime: (value) => formatDateTime(locale, value),
          bytes: (value) => formatBytes(locale, value),
        },
      };
      this.type('text/html; charset=utf-8');
      return this.view(template, { ...context, ...data });
    });
  },
  { name: 'views', dependencies: ['i18n', 'sessions', 'flash', 'csrf', 'page-cache'] },
);
