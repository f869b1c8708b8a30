import { sql } from 'drizzle-orm';
import { type Queryable, rowsOf } from '../../db/client.ts';

/**
 * Jobs that used up their retries, read from pg-boss's own table (schema `pgboss`, pg-boss 10). pg-boss
 * keeps a failed job in `pgboss.job` until its archive pass moves it (after 7 days by default); only
 * those can be retried, so only those are listed. The statements below mirror pg-boss's own
 * `retryJobs` and `deleteJobs` so that they can run inside our transaction, beside the audit row.
 */
export interface FailedJobRow {
  id: string;
  queue: string;
  payload: unknown;
  output: unknown;
  retryCount: number;
  createdAt: Date;
  failedAt: Date;
}

interface RawRow {
  id: string;
  name: string;
  data: unknown;
  output: unknown;
  retry_count: number;
  created_on: Date | string;
  completed_on: Date | string | null;
}

const toRow = (row: RawRow): FailedJobRow => ({
  id: row.id,
  queue: row.name,
  payload: row.data,
  output: row.output,
  retryCount: Number(row.retry_count),
  createdAt: new Date(row.created_on),
  failedAt: new Date(row.completed_on ?? row.created_on),
});

/** pg-boss creates its schema when the runner first starts: before that there is nothing to list. */
async function hasJobTable(db: Queryable): Promise<boolean> {
  const [row] = rowsOf<{ present: boolean }>(await db.execute(sql`select to_regclass('pgboss.job') is not null as present`));
  return Boolean(row?.present);
}

export async function listFailedJobs(db: Queryable, limit: number, offset: number): Promise<{ rows: FailedJobRow[]; total: number }> {
  if (!(await hasJobTable(db))) return { rows: [], total: 0 };
  const rows = rowsOf<RawRow>(
    await db.execute(sql`
      select id, name, data, output, retry_count, created_on, completed_on
      from pgboss.job where state = 'failed'
      order by completed_on desc nulls last, id
      limit ${limit} offset ${offset}`),
  );
  const [{ total }] = rowsOf<{ total: number | string }>(await db.execute(sql`select count(*) as total from pgboss.job where state = 'failed'`));
  return { rows: rows.map(toRow), total: Number(total) };
}

export async function findFailedJob(db: Queryable, id: string): Promise<FailedJobRow | null> {
  if (!(await hasJobTable(db))) return null;
  const [row] = rowsOf<RawRow>(
    await db.execute(sql`
      select id, name, data, output, retry_count, created_on, completed_on
      from pgboss.job where id = ${id}::uuid and state = 'failed' for update`),
  );
  return row ? toRow(row) : null;
}

/** Back to the queue for one more attempt (pg-boss `retry`): the worker picks it up at its next poll. */
export async function markForRetry(db: Queryable, queue: string, id: string): Promise<boolean> {
  const rows = rowsOf(
    await db.execute(sql`
      update pgboss.job set state = 'retry', retry_limit = retry_limit + 1
      where name = ${queue} and id = ${id}::uuid and state = 'failed' returning id`),
  );
  return rows.length === 1;
}

/** Gone for good (pg-boss `deleteJob`); the audit row keeps what it was. */
export async function deleteFailedJob(db: Queryable, queue: string, id: string): Promise<boolean> {
  const rows = rowsOf(await db.execute(sql`delete from pgboss.job where name = ${queue} and id = ${id}::uuid and state = 'failed' returning id`));
  return rows.length === 1;
}

/** Jobs per queue and state (created, retry, active, failed…), for the queue-depth metric. */
export async function countJobsByState(db: Queryable): Promise<Array<{ queue: string; state: string; count: number }>> {
  if (!(await hasJobTable(db))) return [];
  const rows = rowsOf<{ name: string; state: string; count: number | string }>(
    await db.execute(sql`select name, state::text as state, count(*) as count from pgboss.job where state <> 'completed' group by name, state`),
  );
  return rows.map((row) => ({ queue: row.name, state: row.state, count: Number(row.count) }));
}
