import { translator } from '../../i18n/i18n.ts';
import type { Mailer } from '../notifications/mailer.ts';
import type { User } from './accounts.table.ts';

/**
 * Tells a person that someone keeps failing to sign in as them (ASVS 6.3.5): they learn of a guess
 * at their password, and that the slow-down they may meet is not their own doing. Back-office mail
 * is in Vietnamese, as the other notices.
 */
export async function notifyOwnerOfFailedSignIns(mailer: Mailer, user: User, failures: number, minutes: number): Promise<void> {
  if (!mailer.enabled) return;
  const t = translator('vi');
  await mailer.send({
    to: [user.email],
    subject: t('security.failed_sign_ins_subject'),
    text: t('security.failed_sign_ins_body', { name: user.displayName, failures, minutes }),
  });
}
