import { messages, type PGlite, parse, protocol } from '@electric-sql/pglite';

/**
 * Named prepared statements for PGlite's `query`. PGlite sends every statement as an unnamed one:
 * parse, describe, bind, describe, execute, each a call into the WebAssembly engine on the main
 * thread, and PostgreSQL parses, analyses and plans the text again every time. The pages send the
 * same few dozen statement texts over and over (a dataset page's one statement plans in ~2.7 ms and
 * runs in ~0.4 ms at 10k datasets), so each distinct text is parsed once under a name of its own and
 * later calls only bind and execute it; after five executions PostgreSQL keeps a generic plan when it
 * costs no more than the custom ones (plan_cache_mode auto), so planning is skipped too.
 *
 * What stays on PGlite's own path: statements without parameters (`exec`-like, DDL, several
 * statements in one text), COPY with a blob, and everything inside `transaction()` (its statements
 * go through the transaction object, not `query`). A named statement that is gone (DEALLOCATE ALL,
 * DISCARD ALL typed by hand) is parsed again; the names live in this one PGlite session only, so
 * nothing is shared with another node.
 */

type QueryOptions = Parameters<PGlite['query']>[2];
type Query = PGlite['query'];

interface Statement {
  name: string;
  /** The parameter types PostgreSQL inferred, to serialise values as PGlite does. */
  paramTypes: number[];
}

/** More distinct texts than this (texts with inlined values) close the least recently used. */
const maxStatements = 500;

export function usePreparedStatements(client: PGlite): void {
  const unnamed: Query = client.query.bind(client);
  // A Map keeps insertion order: deleting and setting again makes an entry the most recent.
  const statements = new Map<string, Statement>();
  let counter = 0;
  const internals = client as unknown as {
    parsers: Record<number, (value: string, typeId?: number) => unknown>;
    serializers: Record<number, (value: unknown) => string>;
    _runExclusiveQuery<T>(work: () => Promise<T>): Promise<T>;
    _runExclusiveTransaction<T>(work: () => Promise<T>): Promise<T>;
    _checkReady(): Promise<void>;
    execProtocolStream(message: Uint8Array, options?: { syncToFs?: boolean }): Promise<Array<{ name: string }>>;
    isInTransaction(): boolean;
    syncToFs(): Promise<void>;
  };
  const send = (message: Uint8Array) => internals.execProtocolStream(message, { syncToFs: false });

  async function prepare(text: string, options: QueryOptions): Promise<Statement> {
    const name = `portal_s${++counter}`;
    await send(protocol.serialize.parse({ name, text, types: options?.paramTypes }));
    const described = await send(protocol.serialize.describe({ type: 'S', name }));
    const statement = { name, paramTypes: parse.parseDescribeStatementResults(described as never) };
    statements.set(text, statement);
    if (statements.size > maxStatements) {
      const [oldestText, oldest] = statements.entries().next().value as [string, Statement];
      statements.delete(oldestText);
      await send(protocol.serialize.close({ type: 'S', name: oldest.name }));
    }
    return statement;
  }

  async function run<T>(text: string, params: unknown[], options: QueryOptions) {
    return internals._runExclusiveQuery(async () => {
      const messages: Array<{ name: string }> = [];
      try {
        let statement = statements.get(text);
        if (statement) {
          statements.delete(text);
          statements.set(text, statement);
        } else statement = await prepare(text, options);
        const types = statement.paramTypes;
        const values = params.map((value, index) => {
          if (value === null || value === undefined) return null;
          const serialize = options?.serializers?.[types[index]] ?? internals.serializers[types[index]];
          return serialize ? serialize(value) : String(value);
        });
        messages.push(...(await send(protocol.serialize.bind({ statement: statement.name, values }))));
        messages.push(...(await send(protocol.serialize.describe({ type: 'P' }))));
        messages.push(...(await send(protocol.serialize.execute({}))));
      } finally {
        messages.push(...(await send(protocol.serialize.sync())));
      }
      if (!internals.isInTransaction()) await internals.syncToFs();
      // The caller's parsers (Drizzle sends nine with every query) in front of PGlite's own, through the
      // prototype: PGlite spreads its 318 into a new object for each result otherwise, 0.1 ms a query.
      const parsers = options?.parsers ? Object.assign(Object.create(internals.parsers), options.parsers) : internals.parsers;
      const rest = options?.parsers ? { ...options, parsers: undefined } : options;
      return parse.parseResults(messages as never, parsers as never, rest)[0] as Awaited<ReturnType<Query>> & { rows: T[] };
    });
  }

  client.query = async function query<T>(text: string, params?: unknown[], options?: QueryOptions) {
    if (!params || params.length === 0 || options?.blob || client.closed) return unnamed<T>(text, params, options);
    await internals._checkReady();
    try {
      // As PGlite's own query: after any transaction under way, never between its statements.
      return (await internals._runExclusiveTransaction(() => run<T>(text, params, options))) as never;
    } catch (error) {
      // What PGlite adds to an error of its own path, so that logs and callers see the same.
      if (error instanceof messages.DatabaseError) Object.assign(error, { query: text, params, queryOptions: options });
      // 26000: the name is gone (DEALLOCATE ALL, DISCARD ALL): forget them all and take PGlite's path.
      if ((error as { code?: string }).code === '26000') {
        statements.clear();
        return unnamed<T>(text, params, options);
      }
      // 0A000 "cached plan must not change result type": the table changed under the name (a
      // migration, a DataStore reload). Only PGlite's unnamed path reads the new shape; the stale
      // name is dropped so that the next call prepares the text again.
      const stale = statements.get(text);
      if ((error as { code?: string }).code === '0A000' && stale) {
        statements.delete(text);
        await unnamed(`deallocate "${stale.name}"`).catch(() => {});
        return unnamed<T>(text, params, options);
      }
      throw error;
    }
  } as Query;
}
