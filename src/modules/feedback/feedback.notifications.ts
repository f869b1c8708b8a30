import type { Queryable } from '../../db/client.ts';
import { formatDate, isLocale, translator } from '../../i18n/i18n.ts';
import type { Mailer } from '../notifications/mailer.ts';
import { listHolderEmails } from './feedback.repository.ts';
import type { Feedback } from './feedback.table.ts';

/**
 * Mail about feedback, sent after the change is committed (a courtesy: with no SMTP server the
 * inboxes and public pages show the same). Back-office mail is in Vietnamese; the submitter's mail
 * is in the language they used.
 */

/** New (or reassigned, or forwarded) feedback: the accounts of whoever holds it now. */
export async function notifyHolder(db: Queryable, mailer: Mailer, item: Feedback, baseUrl: string): Promise<void> {
  if (!mailer.enabled) return;
  const t = translator('vi');
  const recipients = await listHolderEmails(db, item.agencyId);
  await mailer.send({
    to: recipients,
    subject: t('feedback.mail_new_subject', { number: item.number, title: item.title }),
    text: t('feedback.mail_new_body', { number: item.number, title: item.title, due: formatDate('vi', item.dueOn), link: `${baseUrl}/admin/feedback/${item.id}` }),
  });
}

/** The first public answer (or reason to decline): the submitter, if they left an address. */
export async function notifySubmitter(mailer: Mailer, item: Feedback, baseUrl: string): Promise<void> {
  if (!mailer.enabled || !item.submitterEmail) return;
  const t = translator(isLocale(item.submitterLocale) ? item.submitterLocale : 'vi');
  await mailer.send({
    to: item.submitterEmail,
    subject: t('feedback.mail_answered_subject', { number: item.number, title: item.title }),
    text: t('feedback.mail_answered_body', { name: item.submitterName || t('feedback.mail_default_name'), title: item.title, link: `${baseUrl}/feedback/${item.id}` }),
  });
}
