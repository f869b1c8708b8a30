import { randomBytes } from 'node:crypto';
import { eq, lt, sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.ts';
import { appSecrets, rateLimitHits, usedFormStamps } from './cross-node-state.table.ts';

/**
 * A secret by name, made on first use: the first process to ask creates it and every other process,
 * now or after a restart, reads the same one (ON CONFLICT keeps the first writer's value).
 */
export async function ensureSecret(db: Queryable, name: string): Promise<string> {
  await db.insert(appSecrets).values({ name, value: randomBytes(32).toString('base64url') }).onConflictDoNothing();
  const [row] = await db.select({ value: appSecrets.value }).from(appSecrets).where(eq(appSecrets.name, name)).limit(1);
  return row.value;
}

/**
 * Counts one request against `key` in a fixed window, atomically on the database's clock (so nodes
 * with skewed clocks agree). Returns the count in the window and the milliseconds until it resets.
 */
export async function hitRateLimit(db: Queryable, key: string, windowMs: number): Promise<{ hits: number; ttlMs: number }> {
  const result = await db.execute(sql`
    insert into ${rateLimitHits} (key, hits, reset_at)
    values (${key}, 1, now() + ${windowMs} * interval '1 millisecond')
    on conflict (key) do update set
      hits = case when ${rateLimitHits.resetAt} <= now() then 1 else ${rateLimitHits.hits} + 1 end,
      reset_at = case when ${rateLimitHits.resetAt} <= now() then excluded.reset_at else ${rateLimitHits.resetAt} end
    returning hits, greatest(0, extract(epoch from (reset_at - now())) * 1000)::float8 as ttl_ms`);
  const [row] = rowsOf<{ hits: number; ttl_ms: number }>(result);
  return { hits: Number(row.hits), ttlMs: Math.ceil(Number(row.ttl_ms)) };
}

/** The count in the current window without adding to it. */
export async function readRateLimit(db: Queryable, key: string): Promise<{ hits: number; ttlMs: number }> {
  const result = await db.execute(sql`
    select hits, greatest(0, extract(epoch from (reset_at - now())) * 1000)::float8 as ttl_ms
    from ${rateLimitHits} where key = ${key} and reset_at > now()`);
  const [row] = rowsOf<{ hits: number; ttl_ms: number }>(result);
  return row ? { hits: Number(row.hits), ttlMs: Math.ceil(Number(row.ttl_ms)) } : { hits: 0, ttlMs: 0 };
}

/** True the first time a stamp is used, false every time after, on any node. */
export async function useStampOnce(db: Queryable, stampHash: string): Promise<boolean> {
  const rows = await db.insert(usedFormStamps).values({ stampHash }).onConflictDoNothing().returning({ stampHash: usedFormStamps.stampHash });
  return rows.length > 0;
}

/** Counters whose window is over and stamps that would be expired anyway say nothing any more. */
export async function deleteStaleSharedState(db: Queryable, now: Date, stampsUsedBefore: Date): Promise<void> {
  await db.delete(rateLimitHits).where(lt(rateLimitHits.resetAt, now));
  await db.delete(usedFormStamps).where(lt(usedFormStamps.usedAt, stampsUsedBefore));
}
