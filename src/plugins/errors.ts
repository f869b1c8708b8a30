import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { translator } from '../i18n/i18n.ts';
import { ZodError } from 'zod';
import { isDatabaseUnavailable } from '../lib/database-errors.ts';
import { AppError } from '../lib/errors.ts';
import { wantsJson } from '../lib/requests.ts';

/** How long a client should wait before trying again while the database is away. */
const databaseRetrySeconds = 30;

/**
 * One place that turns an error into an answer: a page in the portal's layout for people, JSON with
 * a reason for programs. Only unexpected errors are 500, and they never show their internals.
 */
export default fp(
  async (app) => {
    async function respond(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string) {
      reply.code(status);
      if (wantsJson(request) || !reply.page) return reply.send({ error: code, message });
      try {
        return await reply.page('public/error', { status, message, title: message });
      } catch (renderError) {
        request.log.error({ err: renderError }, 'error page failed to render');
        return reply.type('text/plain; charset=utf-8').send(message);
      }
    }

    app.setNotFoundHandler(async (request, reply) => {
      const t = request.t ?? translator(app.config.DEFAULT_LOCALE);
      return respond(request, reply, 404, 'not_found', t('errors.not_found'));
    });

    app.setErrorHandler(async (error, request, reply) => {
      const t = request.t ?? translator(app.config.DEFAULT_LOCALE);
      if (error instanceof AppError) {
        return respond(request, reply, error.statusCode, error.code, t(error.messageKey, error.params));
      }
      // Input that fails a schema is the caller's mistake, never a 500.
      if (error instanceof ZodError) return respond(request, reply, 400, 'bad_request', t('errors.bad_request'));
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      if ((error as { code?: string }).code?.startsWith('FST_CSRF_')) {
        return respond(request, reply, 403, 'csrf_invalid', t('errors.csrf_invalid'));
      }
      if (status === 429) return respond(request, reply, 429, 'rate_limited', t('errors.rate_limited'));
      if (status === 413) return respond(request, reply, 413, 'too_large', t('errors.too_large'));
      if (isDatabaseUnavailable(error)) {
        request.log.warn({ err: error }, 'database unavailable');
        reply.header('retry-after', String(databaseRetrySeconds));
        return respond(request, reply, 503, 'database_unavailable', t('security.database_unavailable'));
      }
      if (status >= 400 && status < 500) {
        request.log.info({ err: error }, 'request refused');
        return respond(request, reply, status, 'bad_request', t('errors.bad_request'));
      }
      request.log.error({ err: error }, 'unexpected error');
      return respond(request, reply, 500, 'internal_error', t('errors.internal'));
    });
  },
  { name: 'errors', dependencies: ['i18n'] },
);
