import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { actorOf } from '../accounts/accounts.service.ts';
import { type Actor, authorize, scopeOf } from '../accounts/permissions.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { ApiTokenInput } from './api-tokens.schemas.ts';
import { findApiTokenById, findUsableToken, insertApiToken, listApiTokens, revokeApiToken, touchApiToken } from './api-tokens.repository.ts';

const tokenPrefix = 'odp_';

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates a token for the person acting; the token itself is returned once and never stored. */
export async function createApiToken(db: Database, actor: Actor | null, input: ApiTokenInput) {
  authorize(actor, 'apitoken.manage');
  const token = `${tokenPrefix}${randomBytes(32).toString('base64url')}`;
  return db.transaction(async (tx) => {
    const row = await insertApiToken(tx, {
      userId: actor.id,
      name: input.name,
      tokenHash: hashApiToken(token),
      prefix: token.slice(0, tokenPrefix.length + 6),
      expiresAt: input.expiresOn,
    });
    await recordAudit(tx, actor, {
      action: 'api_token.create',
      objectType: 'api_token',
      objectId: row.id,
      objectLabel: row.name,
      details: { expiresAt: row.expiresAt?.toISOString() ?? null },
    });
    return { token, row };
  });
}

/** An officer sees their own tokens; DOIT sees everyone's, to revoke a leaked one. */
export async function browseApiTokens(db: Queryable, actor: Actor | null) {
  authorize(actor, 'apitoken.manage');
  return listApiTokens(db, scopeOf(actor).kind === 'province' ? null : actor.id);
}

export async function revokeToken(db: Database, actor: Actor | null, id: string) {
  authorize(actor, 'apitoken.manage');
  await db.transaction(async (tx) => {
    const token = await findApiTokenById(tx, id);
    if (!token || (scopeOf(actor).kind !== 'province' && token.userId !== actor.id)) throw notFound('apitokens.not_found');
    if (token.revokedAt) return;
    await revokeApiToken(tx, id, new Date());
    await recordAudit(tx, actor, { action: 'api_token.revoke', objectType: 'api_token', objectId: id, objectLabel: token.name });
  });
}

/** The token a request carries: `Authorization: <token>`, `Authorization: Bearer <token>` or `X-CKAN-API-Key`. */
export function tokenOfHeaders(headers: Record<string, string | string[] | undefined>): string | null {
  const pick = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || null;
  const authorization = pick(headers.authorization);
  if (authorization) return authorization.replace(/^Bearer\s+/i, '').trim() || null;
  return pick(headers['x-ckan-api-key']);
}

export type TokenCheck = { kind: 'none' } | { kind: 'valid'; actor: Actor; tokenId: string } | { kind: 'invalid' };

/** Who a token acts for; an unknown, revoked or expired token, or one of a disabled person, is invalid. */
export async function authenticateToken(db: Queryable, token: string | null, ip: string | null): Promise<TokenCheck> {
  if (!token) return { kind: 'none' };
  if (!token.startsWith(tokenPrefix) || token.length > 200) return { kind: 'invalid' };
  const now = new Date();
  const found = await findUsableToken(db, hashApiToken(token), now);
  if (!found) return { kind: 'invalid' };
  await touchApiToken(db, found.token.id, now);
  return { kind: 'valid', actor: actorOf(found.user, ip), tokenId: found.token.id };
}
