import type { FastifyInstance, FastifyReply } from 'fastify';
import { baseUrlOf } from '../../lib/base-url.ts';
import { AppError } from '../../lib/errors.ts';
import { type FieldErrors, formErrorsFrom, keptValues, parseForm } from '../../lib/forms.ts';
import { requireUuid } from '../../lib/ids.ts';
import { accountFormOptions, presentAccountRow } from './accounts.presenter.ts';
import { createAccountForm, newAccountDefaults } from './accounts.schemas.ts';
import { accountFormChoices, browseAccounts, createAccount, resetPassword, setAccountDisabled } from './accounts.service.ts';
import { authorize } from './permissions.ts';

/** DOIT issues, disables and resets accounts (782 Art. 5.1–5.2). */
export default async function accountAdminRoutes(app: FastifyInstance) {
  const onePerAgency = async () => ({ onePerAgency: (await app.settings.site()).onePerAgencyRule });

  async function renderForm(reply: FastifyReply, values: Record<string, unknown>, errors: FieldErrors = {}) {
    const t = reply.request.t;
    return reply.page('admin/account-form', {
      title: t('accounts.new_title'),
      values,
      errors,
      onePerAgency: (await onePerAgency()).onePerAgency,
      ...accountFormOptions(await accountFormChoices(app.db), t),
    });
  }

  app.get<{ Querystring: { agency?: string } }>('/admin/accounts', async (request, reply) => {
    const agencyId = typeof request.query.agency === 'string' && request.query.agency ? requireUuid(request.query.agency) : undefined;
    const rows = await browseAccounts(app.db, request.actor, { agencyId });
    return reply.page('admin/account-list', {
      title: request.t('backoffice.nav_accounts'),
      accounts: rows.map((row) => presentAccountRow(row, request.t, request.actor?.id)),
    });
  });

  app.get('/admin/accounts/new', async (request, reply) => {
    authorize(request.actor, 'account.manage');
    return renderForm(reply, { ...newAccountDefaults });
  });

  app.post('/admin/accounts', async (request, reply) => {
    authorize(request.actor, 'account.manage');
    const values = keptValues(request.body);
    const parsed = parseForm(createAccountForm, request.body);
    if (!parsed.ok) return renderForm(reply.code(422), values, parsed.errors);
    try {
      const user = await createAccount(app.db, request.actor, parsed.data, await onePerAgency());
      return reply.flash('accounts.created', { email: user.email }).redirect('/admin/accounts');
    } catch (error) {
      return renderForm(reply.code(422), values, formErrorsFrom(error));
    }
  });

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post<{ Params: { id: string } }>(`/admin/accounts/:id/${path}`, async (request, reply) => {
      const id = requireUuid(request.params.id, 'accounts.not_found');
      try {
        const user = await setAccountDisabled(app.db, request.actor, id, disabled, await onePerAgency());
        return reply.flash(disabled ? 'accounts.disabled' : 'accounts.enabled', { email: user.email }).redirect('/admin/accounts');
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode >= 500 || error.statusCode === 403) throw error;
        return reply.flash(error.messageKey, {}, 'error').redirect('/admin/accounts');
      }
    });
  }

  app.post<{ Params: { id: string } }>('/admin/accounts/:id/reset-password', async (request, reply) => {
    const { token, user, expiresAt } = await resetPassword(app.db, request.actor, requireUuid(request.params.id, 'accounts.not_found'));
    const base = baseUrlOf(app, request);
    // Shown once, to DOIT, who hands it over; only its hash is stored.
    return reply.header('cache-control', 'no-store').page('admin/account-reset', {
      title: request.t('accounts.reset_done_title'),
      email: user.email,
      link: `${base}/reset-password/${token}`,
      expiresAt,
    });
  });
}
