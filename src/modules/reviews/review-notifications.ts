import type { Queryable } from '../../db/client.ts';
import { translator } from '../../i18n/i18n.ts';
import { listAgencyEmails } from '../accounts/accounts.repository.ts';
import { queueMail } from '../notifications/mail-queue.ts';

/**
 * Mail for each step of the flow (issue: inbox), queued inside the step's transaction: it leaves
 * only if the step commits, and an SMTP outage is retried by the job runner. With no SMTP server the
 * inboxes alone show the same. Back-office mail is in Vietnamese, the language of the agencies.
 */
export async function queueReviewMail(
  tx: Queryable,
  step: 'submitted' | 'returned' | 'approved',
  dataset: { id: string; agencyId: string },
  revision: { title: string },
  baseUrl: string,
  comment = '',
): Promise<void> {
  const t = translator('vi');
  const recipients = await listAgencyEmails(tx, dataset.agencyId, step === 'submitted' ? 'leader' : 'officer');
  const link = `${baseUrl}/admin/datasets/${dataset.id}${step === 'submitted' ? '/review' : ''}`;
  await queueMail(tx, {
    to: recipients,
    subject: t(`reviews.mail_${step}_subject`, { title: revision.title }),
    text: t(`reviews.mail_${step}_body`, { title: revision.title, link, comment }),
  });
}
