import type { FastifyInstance, FastifyReply } from 'fastify';
import { type FieldErrors, keptValues, parseForm } from '../../lib/forms.ts';
import { authorize } from '../accounts/permissions.ts';
import type { SiteSettings } from './settings.defaults.ts';
import { holidayYears } from './holidays.ts';
import { settingFields, settingsForm } from './settings.schemas.ts';

/** DOIT changes what the portal says about itself (identity, terms, legal basis, the 1+1 rule) without a release. */
export default async function settingsAdminRoutes(app: FastifyInstance) {
  async function render(reply: FastifyReply, values: Record<string, unknown>, errors: FieldErrors = {}) {
    const holidays = holidayYears((await app.settings.site()).publicHolidays, new Date());
    return reply.page('admin/settings', { title: reply.request.t('backoffice.nav_settings'), fields: settingFields, values, errors, holidays });
  }

  app.get('/admin/settings', async (request, reply) => {
    authorize(request.actor, 'settings.manage');
    return render(reply, await app.settings.site());
  });

  app.post('/admin/settings', async (request, reply) => {
    authorize(request.actor, 'settings.manage');
    const parsed = parseForm(settingsForm, request.body);
    if (!parsed.ok) return render(reply.code(422), keptValues(request.body), parsed.errors);
    await app.settings.update(request.actor, parsed.data as Partial<SiteSettings>);
    return reply.flash('settings.saved').redirect('/admin/settings');
  });
}
