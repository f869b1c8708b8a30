import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { configuredBaseUrl } from '../../lib/base-url.ts';
import { runDeadlineReminders } from './reminders.service.ts';

export const deadlineRemindersJobName = 'catalogue-deadline-reminders';

/**
 * Deadline reminders run once a day on the job runner (pg-boss, on PostgreSQL and PGlite alike), just
 * after midnight in Vietnam so the day's notices are there when officers arrive. The run is idempotent
 * (one notice per entry, period and kind, by a unique key), so a retry or a second node is harmless.
 */
export default fp(
  async (app: FastifyInstance) => {
    app.jobs.work(deadlineRemindersJobName, async () => {
      // Mail only when SMTP is configured: without it the notices on the back-office home are the reminder.
      await runDeadlineReminders(app.db, new Date(), app.mailer.enabled ? { mail: { baseUrl: configuredBaseUrl(app.config) } } : {});
    });
    app.jobs.scheduleDaily(deadlineRemindersJobName, '00:05');
  },
  { name: 'catalogue-jobs', dependencies: ['jobs'] },
);
