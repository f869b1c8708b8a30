import type { Queryable } from '../../db/client.ts';
import { formatDate, isLocale, translator } from '../../i18n/i18n.ts';
import { queueMail } from '../notifications/mail-queue.ts';
import { listHolderEmails } from './feedback.repository.ts';
import type { Feedback } from './feedback.table.ts';

/**
 * Mail about feedback, queued inside the change's transaction: it leaves only if the change commits
 * and an SMTP outage is retried (a courtesy: with no SMTP server the inboxes and public pages show
 * the same). Back-office mail is in Vietnamese; the submitter's mail is in the language they used.
 */

/** New (or reassigned, or forwarded) feedback: the accounts of whoever holds it now. */
export async function queueHolderMail(tx: Queryable, item: Feedback, baseUrl: string): Promise<void> {
  const t = translator('vi');
  const recipients = await listHolderEmails(tx, item.agencyId);
  await queueMail(tx, {
    to: recipients,
    subject: t('feedback.mail_new_subject', { number: item.number, title: item.title }),
    text: t('feedback.mail_new_body', { number: item.number, title: item.title, due: formatDate('vi', item.dueOn), link: `${baseUrl}/admin/feedback/${item.id}` }),
  });
}

/** The first public answer (or reason to decline): the submitter, if they left an address. */
export async function queueSubmitterMail(tx: Queryable, item: Feedback, baseUrl: string): Promise<void> {
  if (!item.submitterEmail) return;
  const t = translator(isLocale(item.submitterLocale) ? item.submitterLocale : 'vi');
  await queueMail(tx, {
    to: item.submitterEmail,
    subject: t('feedback.mail_answered_subject', { number: item.number, title: item.title }),
    text: t('feedback.mail_answered_body', { name: item.submitterName || t('feedback.mail_default_name'), title: item.title, link: `${baseUrl}/feedback/${item.id}` }),
  });
}
