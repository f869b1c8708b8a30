import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Translate } from '../../i18n/i18n.ts';
import { parsePage } from '../../lib/pagination.ts';
import { auditFilterChoices, browseAudit } from './audit.service.ts';
import { endOfVietnamDay, isCalendarDay, startOfVietnamDay } from '../../lib/calendar.ts';

const dateInput = z.preprocess((value) => (typeof value === 'string' && isCalendarDay(value) ? value : undefined), z.string().optional());
// Unknown filter values are ignored rather than refused: the log page always answers.
const auditQuery = z.object({
  actor: z.uuid().optional().catch(undefined),
  action: z.string().max(80).optional().catch(undefined),
  objectType: z.string().max(40).optional().catch(undefined),
  from: dateInput.catch(undefined),
  to: dateInput.catch(undefined),
  page: z.unknown().optional(),
});

/** "dataset.approve" → "Phê duyệt và công bố"; a code without a label (a newer module's) shows as it is. */
function actionLabel(action: string, t: Translate): string {
  const key = `audit.actions.${action}`;
  const label = t(key);
  return label === key ? action : label;
}

/** DOIT reads who changed what (782 Art. 5.1: integrity and security checks). */
export default async function auditRoutes(app: FastifyInstance) {
  app.get('/admin/audit', async (request, reply) => {
    const query = auditQuery.parse(request.query ?? {});
    const page = parsePage(query.page, 50);
    // Dates are Vietnamese calendar days: from 00:00 of "from" to the end of "to", at UTC+7.
    const from = query.from ? startOfVietnamDay(query.from) : undefined;
    const to = query.to ? endOfVietnamDay(query.to) : undefined;
    const result = await browseAudit(app.db, request.actor, { actorId: query.actor, action: query.action, objectType: query.objectType, from, to }, page);
    const { actions, accounts } = await auditFilterChoices(app.db, request.actor);
    return reply.page('admin/audit', {
      title: request.t('backoffice.nav_audit'),
      filter: query,
      page: result,
      actionOptions: [{ value: '', label: request.t('audit.any_action') }, ...actions.map((action) => ({ value: action, label: actionLabel(action, request.t) }))],
      actionLabel: (action: string) => actionLabel(action, request.t),
      actorOptions: [{ value: '', label: request.t('audit.any_actor') }, ...accounts.map((account) => ({ value: account.id, label: account.email }))],
    });
  });
}
