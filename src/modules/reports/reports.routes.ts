import { attachmentDisposition } from '../../lib/content-disposition.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from '../../lib/errors.ts';
import { parseReportPeriod } from './report-period.ts';
import { reportToXlsx } from './reports-xlsx.ts';
import { presentReport } from './reports.presenter.ts';
import { buildReport } from './reports.service.ts';

type ReportQuery = { Querystring: { period?: string; format?: string } };

/** DOIT's reports (a leader's: their agency's), as a page, a printable A4 page and a workbook. */
export default async function reportRoutes(app: FastifyInstance) {
  async function reportFor(request: FastifyRequest<ReportQuery>) {
    const period = parseReportPeriod(typeof request.query.period === 'string' ? request.query.period : undefined);
    return buildReport(app.db, request.actor, period, await app.settings.site());
  }

  app.get<ReportQuery>('/admin/reports', async (request, reply) => {
    const report = await reportFor(request);
    return reply.page('admin/reports', { title: request.t('reports.title', { period: report.period.key }), report: presentReport(report, request.locale, request.t) });
  });

  app.get<ReportQuery>('/admin/reports/print', async (request, reply) => {
    const report = await reportFor(request);
    return reply.page('admin/reports-print', { title: request.t('reports.title', { period: report.period.key }), report: presentReport(report, request.locale, request.t) });
  });

  app.get<ReportQuery>('/admin/reports/export', async (request, reply) => {
    if ((request.query.format ?? 'xlsx') !== 'xlsx') throw badRequest('reports.bad_format');
    const report = await reportFor(request);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', attachmentDisposition(`bao-cao-du-lieu-mo-${report.period.key}.xlsx`))
      .send(await reportToXlsx(report, request.t));
  });
}
