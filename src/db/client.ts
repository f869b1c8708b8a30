import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { acquireEmbeddedLock } from './embedded-lock.ts';
import { pgliteExtensions } from './pglite-extensions.ts';
import { PGliteInThread } from './pglite-in-thread.ts';
import { usePreparedStatements } from './pglite-statements.ts';
import * as schema from './schema.ts';

/** The one database type repositories are written against: PGlite and node-postgres both satisfy it. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction has the same query API as the database. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Repositories take either. */
export type Queryable = Database | Transaction;

/** The rows of `db.execute(sql…)`: both drivers (pg and PGlite) answer with `{ rows }`. */
export const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

export interface DatabaseHandle {
  db: Database;
  driver: 'pglite' | 'postgres';
  /** The server's address (PostgreSQL only): for connections a pool cannot lend, such as LISTEN. */
  connectionString?: string;
  /** The pool (PostgreSQL only), for what Drizzle cannot do: COPY FROM STDIN, pg-boss's queries. */
  pool?: pg.Pool;
  /** The embedded database itself (PGlite only): backups dump its data directory; COPY from a blob. */
  pglite?: EmbeddedDatabase;
  /** Answers when the database does; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The little of a logger the database needs; pino and Fastify's logger both fit. */
export interface WarnLogger {
  warn(details: object, message: string): void;
}

export { pgliteExtensions };

/** What the portal uses of the embedded database, on this thread (PGlite) or in a worker (PGliteInThread). */
export type EmbeddedDatabase = Pick<PGlite, 'query' | 'exec' | 'transaction' | 'dumpDataDir' | 'close' | 'closed'>;

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  logger?: WarnLogger;
  /** Test helpers hand over a ready PGlite (loaded from a migrated template), here or in its thread. */
  pglite?: PGlite | PGliteInThread;
  /**
   * A data directory's PGlite in a worker thread (default; the PGLITE_THREAD setting): the main
   * thread renders pages while the worker runs statements (see pglite-in-thread.ts).
   */
  inThread?: boolean;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.logger);
  if (options.pglite) return wrapPglite(options.pglite, async () => {});
  const directory = path.join(options.dataDir, 'pglite');
  mkdirSync(directory, { recursive: true });
  // PGlite is one process at a time: a second opener would corrupt the files, so refuse clearly.
  const lock = acquireEmbeddedLock(options.dataDir);
  try {
    if (options.inThread ?? true) return wrapPglite(await PGliteInThread.open(directory), async () => lock.release());
    const client = await PGlite.create(directory, { extensions: pgliteExtensions });
    return wrapPglite(client, async () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

function wrapPglite(client: PGlite | PGliteInThread, afterClose: () => Promise<void>): DatabaseHandle {
  // Each distinct statement is parsed and planned once, not at every call (see pglite-statements.ts);
  // in a worker, the worker does it next to the database.
  if (client instanceof PGlite) usePreparedStatements(client);
  // Drizzle calls only `query` and `transaction`, which the worker's client answers as PGlite does.
  const db = drizzlePglite(client as PGlite, { schema }) as unknown as Database;
  return {
    db,
    driver: 'pglite',
    pglite: client,
    async ping() {
      await client.query('select 1');
    },
    async close() {
      if (!client.closed) await client.close();
      await afterClose();
    },
  };
}

type PooledClient = { query: (...args: unknown[]) => unknown; release: (error?: Error) => void };

/**
 * Drizzle's node-postgres transaction sends BEGIN before its try/finally, so when BEGIN fails (the
 * client's session was just ended by the server) it never releases the client: the pool loses that
 * slot for good, and after ten outages every request waits for a connection and answers 503 until
 * the process restarts; `pool.end()` hangs on it too (fault run, issue 17 item 8). A promise-style
 * BEGIN that fails therefore returns its client to the pool as broken (the pool then closes it).
 * Callback-style queries (pool.query) release their client themselves and are left alone.
 */
function releaseWhenBeginFails(client: PooledClient) {
  const query = client.query.bind(client);
  client.query = (...args: unknown[]) => {
    const result = query(...args);
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === 'string' ? first : first?.text;
    if (!(result instanceof Promise) || !text || !/^\s*begin\b/i.test(text)) return result;
    return result.catch((error: unknown) => {
      client.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    });
  };
}

function openPostgres(connectionString: string, logger?: WarnLogger): DatabaseHandle {
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 5_000 });
  // Without this listener an idle client's error (database restarted) would crash the process;
  // the pool drops that client and the next query opens a new connection.
  pool.on('error', (error) => logger?.warn({ err: error }, 'idle PostgreSQL connection lost; it will be replaced'));
  // A client checked out of the pool (a transaction between two statements, a COPY, pg-boss) has no
  // pool listener: when the server ends its session (pg_terminate_backend, a restart, a failover)
  // its 'error' event had none and took the whole process down (fault run, issue 17 item 8). The
  // error still reaches the statement in flight, or the next one ("not queryable": a 503), and the
  // pool drops the client when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    releaseWhenBeginFails(client as unknown as PooledClient);
  });
  const db = drizzleNodePg(pool, { schema }) as unknown as Database;
  return {
    db,
    driver: 'postgres',
    connectionString,
    pool,
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      if (!pool.ended) await pool.end();
    },
  };
}
