import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import type { Database } from '../../db/client.ts';
import { isUndefinedPreparedStatement } from '../../db/errors.ts';

/**
 * How the search's statements travel to the database: each as one simple-protocol message with its
 * settings (see indexSettings), so that a search page costs one round trip (one call into PGlite's
 * WebAssembly) instead of four (BEGIN, settings, statement, COMMIT). Both of the portal's drivers take
 * such messages: PGlite's exec() and node-postgres (a query without parameters).
 */
export interface Messages {
  /** The statement with its values written in, planned for them. */
  send(settings: string, statement: SQL): Promise<unknown>;
  /**
   * The statement prepared once per database session and then executed with its values under a
   * generic plan: no parsing and no planning at each search. Parsing and planning a search's first
   * statement (2 kB of SQL) was a third of its time on PGlite (1.1–3.6 ms of 3–10 ms at 10k). Only
   * for statements whose best plan does not depend on the values (the engine's settings already
   * choose the index); `settings` are part of what is prepared, since a plan is made under them.
   */
  sendPrepared(settings: string, statement: SQL): Promise<unknown>;
}

/** A session's connection: PGlite (one session) or a connection of node-postgres's pool. */
interface Session {
  send(text: string): Promise<unknown>;
}

/**
 * The statements a session has prepared, by their settings and text, with the next free name. Kept
 * per session object (PGlite, a pool's client), not per engine: names belong to the session, and two
 * engines may share one.
 */
const preparedBySession = new WeakMap<object, { names: Map<string, string>; next: number }>();
/** Distinct statements prepared per session at most (a search has a few dozen shapes); beyond, values are written in. */
const preparedPerSession = 200;

export function messagesOf(db: Database): Messages {
  const dialect = (db as unknown as { dialect: { sqlToQuery(statement: SQL): { sql: string; params: unknown[] } } }).dialect;
  const client = (db as unknown as { $client?: { exec?: unknown; query?: unknown; connect?: unknown } }).$client ?? {};
  let withSession: <T>(work: (session: Session, owner: object) => Promise<T>) => Promise<T>;
  if (typeof client.exec === 'function') {
    const embedded = client as { exec(text: string): Promise<unknown[]> };
    const session: Session = { send: async (text) => (await embedded.exec(text)).at(-1) };
    withSession = (work) => work(session, client);
  } else if (typeof client.query === 'function' && typeof client.connect === 'function') {
    const lastOf = (result: unknown) => (Array.isArray(result) ? result.at(-1) : result);
    const pool = client as unknown as pg.Pool;
    withSession = async (work) => {
      const connection = await pool.connect();
      try {
        return await work({ send: async (text) => lastOf(await connection.query(text)) }, connection);
      } finally {
        connection.release();
      }
    };
  } else {
    throw new Error('the search engine needs the PGlite or node-postgres database, not a transaction');
  }

  return {
    send(settings, statement) {
      const { sql: text, params } = dialect.sqlToQuery(statement);
      return withSession((session) => session.send(`${settings}${inlined(text, params)}`));
    },
    sendPrepared(settings, statement) {
      const { sql: text, params } = dialect.sqlToQuery(statement);
      const key = `${settings}\n${text}`;
      const execute = (name: string) => `${settings}set local plan_cache_mode = force_generic_plan; execute ${name}${params.length > 0 ? `(${params.map(literal).join(', ')})` : ''}`;
      return withSession(async (session, owner) => {
        const prepared = preparedBySession.get(owner) ?? { names: new Map<string, string>(), next: 1 };
        preparedBySession.set(owner, prepared);
        const known = prepared.names.get(key);
        if (known) {
          try {
            return await session.send(execute(known));
          } catch (error) {
            if (!isUndefinedPreparedStatement(error)) throw error;
            // Gone from the session: prepared again below, under a new name.
            prepared.names.delete(key);
          }
        }
        if (prepared.next > preparedPerSession) return session.send(`${settings}${inlined(text, params)}`);
        const name = `search_statement_${prepared.next++}`;
        // Known before it is sent: PGlite runs messages in order, so a search sent meanwhile executes
        // it after this message prepared it.
        prepared.names.set(key, name);
        try {
          return await session.send(`prepare ${name} as ${text}; ${execute(name)}`);
        } catch (error) {
          // Whether or not PREPARE itself ran, the name is not used again (a later one is taken).
          prepared.names.delete(key);
          throw error;
        }
      });
    },
  };
}

/**
 * A string as an SQL literal, by node-postgres's own escaping (quotes doubled; E'…' when there is a
 * backslash). A NUL cannot travel in a message (PostgreSQL refuses it in text anyway): it becomes a space.
 */
const quoted = (text: string) => pg.escapeLiteral(text.replace(/\0/g, ' '));

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return value < 0 ? `(${value})` : String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return quoted(value.toISOString());
  // An array as PostgreSQL's array text, untyped like a parameter: its column gives it a type.
  if (Array.isArray(value)) return quoted(`{${value.map((item) => `"${String(item).replace(/[\\"]/g, '\\$&')}"`).join(',')}}`);
  return quoted(String(value));
}

/**
 * A statement with its parameters written in as literals (a simple-protocol message has no parameters).
 * Drizzle numbers them $1, $2, … and nothing else in the engine's SQL text contains a dollar sign.
 */
function inlined(text: string, params: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
}
