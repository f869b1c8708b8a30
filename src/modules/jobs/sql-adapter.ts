import { type SQL, sql } from 'drizzle-orm';
import type { DatabaseHandle, Queryable } from '../../db/client.ts';

/** What pg-boss calls to reach the database when it is given one (`db` option). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** `$1 … $n` text with its values as one Drizzle statement, so it can run inside a Drizzle transaction. */
function drizzleStatement(text: string, values: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  parts.forEach((part, index) => {
    if (index % 2 === 0) chunks.push(sql.raw(part));
    else chunks.push(sql`${values[Number(part) - 1] ?? null}`); // Drizzle drops an undefined parameter
  });
  return sql.join(chunks);
}

/** pg-boss's queries through a Drizzle database or transaction (used to move the outbox in one transaction). */
export function executorOf(queryable: Queryable): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      const result = await queryable.execute(values.length === 0 ? sql.raw(text) : drizzleStatement(text, values));
      return result as unknown as { rows: Record<string, unknown>[] };
    },
  };
}

/**
 * pg-boss's own connection: the pool on PostgreSQL; on PGlite, the one embedded connection, where
 * statements without parameters may be several (pg-boss installs its schema in one BEGIN…COMMIT
 * script), which only `exec` accepts.
 */
export function executorOfHandle(handle: DatabaseHandle): SqlExecutor {
  const { pool, pglite } = handle;
  if (pool) return { executeSql: (text, values) => pool.query(text, values && values.length > 0 ? values : undefined) };
  if (pglite) {
    return {
      async executeSql(text, values = []) {
        if (values.length > 0) return pglite.query(text, values);
        const results = await pglite.exec(text);
        return results[results.length - 1] ?? { rows: [] };
      },
    };
  }
  return executorOf(handle.db);
}
