import type { Translate } from '../../i18n/i18n.ts';
import type { ApiToken } from './api-tokens.table.ts';

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  ownerEmail: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  status: string;
  usable: boolean;
}

/** What the back office shows of a token: never its hash, only the prefix that tells tokens apart. */
export function presentApiToken(row: { token: ApiToken; ownerEmail: string }, t: Translate, now = new Date()): ApiTokenView {
  const { token } = row;
  const expired = token.expiresAt !== null && token.expiresAt <= now;
  return {
    id: token.id,
    name: token.name,
    prefix: `${token.prefix}…`,
    ownerEmail: row.ownerEmail,
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt,
    status: token.revokedAt ? t('apitokens.status_revoked') : expired ? t('apitokens.status_expired') : t('apitokens.status_active'),
    usable: !token.revokedAt && !expired,
  };
}
