import type { Translate } from '../../i18n/i18n.ts';
import type { Agency } from '../agencies/agencies.table.ts';
import { roles, type User } from './accounts.table.ts';

/** A row of the accounts list: the role in words, never the role itself. */
export function presentAccountRow(row: { user: User; agency: Pick<Agency, 'name'> | null }, t: Translate, actorId?: string) {
  const { user, agency } = row;
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    roleLabel: t(`accounts.role_${user.role}`),
    agencyName: agency?.name ?? t('accounts.doit'),
    disabled: Boolean(user.disabledAt),
    mustChangePassword: user.mustChangePassword,
    lastLoginAt: user.lastLoginAt,
    isSelf: user.id === actorId,
  };
}

/** The choices of the new-account form. */
export function accountFormOptions(choices: { agencies: Array<Pick<Agency, 'id' | 'name'>> }, t: Translate) {
  return {
    roleOptions: roles.map((role) => ({ value: role, label: t(`accounts.role_${role}`) })),
    agencyOptions: [{ value: '', label: t('accounts.choose_agency') }, ...choices.agencies.map((agency) => ({ value: agency.id, label: agency.name }))],
  };
}
