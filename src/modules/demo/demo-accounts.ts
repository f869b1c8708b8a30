import type { Queryable } from '../../db/client.ts';
import { insertUser } from '../accounts/accounts.repository.ts';
import type { Role } from '../accounts/accounts.table.ts';
import { hashPassword } from '../accounts/passwords.ts';

/** One password for every demo account, listed in README. Never use the demo on a public server. */
export const demoPassword = 'Demo-Cong-Du-Lieu-2025';

/** DOIT, and an officer and a leader for two agencies, on the reserved .example domain. */
export const demoAccounts: Array<{ email: string; displayName: string; role: Role; agencyName: string | null }> = [
  { email: 'doit@binhdinh.example', displayName: 'Nguyễn Văn Quản', role: 'admin', agencyName: null },
  { email: 'canbo.giaoduc@binhdinh.example', displayName: 'Trần Thị Mai', role: 'officer', agencyName: 'Sở Giáo dục và Đào tạo' },
  { email: 'lanhdao.giaoduc@binhdinh.example', displayName: 'Lê Văn Hùng', role: 'leader', agencyName: 'Sở Giáo dục và Đào tạo' },
  { email: 'canbo.yte@binhdinh.example', displayName: 'Phạm Thị Lan', role: 'officer', agencyName: 'Sở Y tế' },
  { email: 'lanhdao.yte@binhdinh.example', displayName: 'Võ Minh Tuấn', role: 'leader', agencyName: 'Sở Y tế' },
];

export async function insertDemoAccounts(tx: Queryable, agencyIdByName: Map<string, string>): Promise<number> {
  const passwordHash = await hashPassword(demoPassword);
  for (const account of demoAccounts) {
    const agencyId = account.agencyName ? agencyIdByName.get(account.agencyName) : null;
    if (agencyId === undefined) throw new Error(`demo account names an unknown agency: ${account.agencyName}`);
    await insertUser(tx, { ...account, agencyId, passwordHash, mustChangePassword: false });
  }
  return demoAccounts.length;
}
