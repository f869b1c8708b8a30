import { fileURLToPath } from 'node:url';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { DatabaseHandle } from './client.ts';

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Any fixed number: every portal node asks PostgreSQL for the same lock before migrating. */
export const migrationLockKey = 1_702_170_017;

/**
 * Applies the SQL files in migrations/ that this database has not seen yet. On PostgreSQL several
 * nodes may start at once (a rolling upgrade, `docker compose up` with two app nodes): each takes a
 * session advisory lock first, so one migrates while the others wait, then find nothing left to do.
 */
export async function runMigrations(handle: DatabaseHandle): Promise<void> {
  if (handle.driver === 'pglite') {
    // biome-ignore lint/suspicious/noExplicitAny: the two migrators want their own driver types.
    await migratePglite(handle.db as any, { migrationsFolder });
    return;
  }
  if (!handle.connectionString) {
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    await migrateNodePg(handle.db as any, { migrationsFolder });
    return;
  }
  // The lock belongs to a session: the migrations must run on the very connection that holds it.
  const client = new pg.Client({ connectionString: handle.connectionString });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [migrationLockKey]);
    await migrateNodePg(drizzleNodePg(client), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [migrationLockKey]).catch(() => {});
    await client.end();
  }
}
