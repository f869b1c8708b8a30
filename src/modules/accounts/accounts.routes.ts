import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { type FieldErrors, formErrorsFrom, keptValues, parseForm } from '../../lib/forms.ts';
import { requireSignedIn } from '../backoffice/require-signed-in.ts';
import { changePasswordForm, completeResetForm, signInForm } from './accounts.schemas.ts';
import { changeOwnPassword, completePasswordReset, findUsableReset, signIn, signOut } from './accounts.service.ts';

/**
 * Only paths inside this portal are followed after sign-in (no open redirect), and only in the
 * characters a URL path may carry as they are: `/€` once reached the Location header raw and
 * answered 500 after the session was made (issue 10, finding 6). Anything else goes to /admin.
 */
const localPath = /^\/(?![/\\])(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.length <= 500 && localPath.test(next) ? next : '/admin';
}

/** Sign-in, sign-out, one's own password, and the one-time reset link. */
export default async function accountRoutes(app: FastifyInstance) {
  const renderLogin = (reply: import('fastify').FastifyReply, values: Record<string, string>, errors: FieldErrors = {}) =>
    reply.page('public/login', { title: reply.request.t('accounts.sign_in_title'), values, errors });

  app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) => {
    if (request.actor) return reply.redirect(safeNext(request.query.next));
    return renderLogin(reply, { next: typeof request.query.next === 'string' ? request.query.next : '' });
  });

  app.post(
    '/login',
    // A flood guard per address, counted in PostgreSQL across nodes; the real limits (delays per
    // account and address, a cap per address) are in signIn.
    { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const values = keptValues(request.body);
      const parsed = parseForm(signInForm, request.body);
      if (!parsed.ok) return renderLogin(reply.code(422), values, parsed.errors);
      try {
        const { token, user } = await signIn(
          app.db,
          {
            email: parsed.data.email,
            password: parsed.data.password,
            ip: request.ip,
            userAgent: request.headers['user-agent'],
            previousSessionToken: request.cookies[app.sessionCookieName],
          },
          app.sessionPolicy,
          { mailer: app.mailer },
        );
        // A new CSRF secret with the new session: a token learnt before sign-in is worth nothing after.
        reply.startSession(token).rotateCsrfSecret();
        if (user.mustChangePassword) return reply.flash('accounts.must_change_password').redirect('/account/password');
        return reply.redirect(safeNext(parsed.data.next));
      } catch (error) {
        if (error instanceof AppError && (error.statusCode === 401 || error.statusCode === 429)) {
          return renderLogin(reply.code(error.statusCode), values, { _form: { key: error.messageKey, params: error.params } });
        }
        throw error;
      }
    },
  );

  app.post('/logout', async (request, reply) => {
    if (request.actor && request.sessionToken) await signOut(app.db, request.actor, request.sessionToken);
    return reply.endSession().flash('accounts.signed_out').redirect('/login');
  });

  app.register(async (signedIn) => {
    signedIn.addHook('onRequest', requireSignedIn);

    signedIn.get('/account', async (_request, reply) => reply.redirect('/account/password'));

    signedIn.get('/account/password', async (request, reply) =>
      reply.page('admin/account-password', { title: request.t('accounts.change_password_title'), errors: {}, forced: request.user?.mustChangePassword }),
    );

    signedIn.post('/account/password', async (request, reply) => {
      const parsed = parseForm(changePasswordForm, request.body);
      const render = (errors: FieldErrors) =>
        reply.code(422).page('admin/account-password', { title: request.t('accounts.change_password_title'), errors, forced: request.user?.mustChangePassword });
      if (!parsed.ok) return render(parsed.errors);
      try {
        await changeOwnPassword(app.db, request.actor!, request.sessionToken!, parsed.data);
      } catch (error) {
        return render(formErrorsFrom(error));
      }
      return reply.flash('accounts.password_changed').redirect('/admin');
    });
  });

  app.get<{ Params: { token: string } }>('/reset-password/:token', async (request, reply) => {
    const user = await findUsableReset(app.db, request.params.token);
    return reply
      .code(user ? 200 : 410)
      .page('public/reset-password', { title: request.t('accounts.reset_title'), valid: Boolean(user), email: user?.email, errors: {} });
  });

  app.post<{ Params: { token: string } }>('/reset-password/:token', async (request, reply) => {
    const parsed = parseForm(completeResetForm, request.body);
    const user = await findUsableReset(app.db, request.params.token);
    const render = (errors: FieldErrors, status = 422) =>
      reply.code(status).page('public/reset-password', { title: request.t('accounts.reset_title'), valid: Boolean(user), email: user?.email, errors });
    if (!user) return render({}, 410);
    if (!parsed.ok) return render(parsed.errors);
    try {
      await completePasswordReset(app.db, request.params.token, parsed.data.newPassword, request.ip);
    } catch (error) {
      return render(formErrorsFrom(error));
    }
    return reply.flash('accounts.password_set').redirect('/login');
  });
}
