import type { Queryable } from '../../db/client.ts';
import { translator } from '../../i18n/i18n.ts';
import { listAgencyEmails } from '../accounts/accounts.repository.ts';
import type { Mailer } from '../notifications/mailer.ts';

/**
 * Mail for each step of the flow (issue: inbox). Sent after the commit; with no SMTP server the
 * inboxes alone show the same. Back-office mail is in Vietnamese, the language of the agencies.
 */
export async function notifyReviewStep(
  db: Queryable,
  mailer: Mailer,
  step: 'submitted' | 'returned' | 'approved',
  dataset: { id: string; agencyId: string },
  revision: { title: string },
  baseUrl: string,
  comment = '',
): Promise<void> {
  if (!mailer.enabled) return;
  const t = translator('vi');
  const recipients = await listAgencyEmails(db, dataset.agencyId, step === 'submitted' ? 'leader' : 'officer');
  const link = `${baseUrl}/admin/datasets/${dataset.id}${step === 'submitted' ? '/review' : ''}`;
  await mailer.send({
    to: recipients,
    subject: t(`reviews.mail_${step}_subject`, { title: revision.title }),
    text: t(`reviews.mail_${step}_body`, { title: revision.title, link, comment }),
  });
}
