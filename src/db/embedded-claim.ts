import type { DatabaseHandle } from './client.ts';

/** Embedded databases an open app of this process is using. */
const claimed = new WeakSet<object>();

export class EmbeddedDatabaseInUseError extends Error {
  constructor() {
    super(
      'This embedded PGlite database is already used by another portal app in this process. PGlite is one ' +
        'process with one connection: two apps on it interleave their transactions (the job runner, pg-boss, ' +
        'fails to start first). Run several nodes on a PostgreSQL server (DATABASE_URL), or close the first app.',
    );
  }
}

/**
 * One app per embedded database: a second would share its single connection, and each app's
 * BEGIN … COMMIT would land inside the other's ("current transaction is aborted"). Fails at once
 * with a sentence instead. Returns the release to call when the app closes. A server pool is shared freely.
 */
export function claimEmbeddedDatabase(handle: DatabaseHandle): () => void {
  const { pglite } = handle;
  if (!pglite) return () => {};
  if (claimed.has(pglite)) throw new EmbeddedDatabaseInUseError();
  claimed.add(pglite);
  return () => claimed.delete(pglite);
}
