import pg from 'pg';

interface Logger {
  warn(details: object, message: string): void;
}

/** Two int4 advisory-lock keys from a job id (a uuid), in a namespace of their own. */
const lockKey = "hashtextextended('portal-job-lease:' || $1, 0)";

/**
 * Leases on running jobs, so that a job whose process died (kill -9, the OOM killer, a pulled plug)
 * is retried within minutes rather than after pg-boss's expiry (an hour for DataStore loads).
 * pg-boss 10 has no heartbeat, and a short expiry would also cut live handlers (docs/operations.md).
 *
 * Each node keeps one connection of its own on which it holds a session advisory lock per job it
 * runs; the server releases them when the process dies. Every sweep, a node tries the lock of each
 * active job it does not run itself: free at two sweeps in a row (a connection lost for a moment,
 * a database blip, does not count) means nobody runs it, and the job is failed so that its retry
 * policy applies. A node whose own lease connection is down judges nobody.
 */
export function createJobLeases(options: {
  connectionString: string;
  pool: pg.Pool;
  schema: string;
  log: Logger;
  fail: (name: string, id: string) => Promise<unknown>;
  sweepSeconds: number;
}) {
  const { connectionString, pool, schema, log } = options;
  const running = new Set<string>();
  const suspects = new Map<string, number>();
  let client: pg.Client | null = null;
  /** The newest connection, open or opening: only its loss reconnects (an old one ending is no news). */
  let newest: pg.Client | null = null;
  let closing = false;
  let reconnect: NodeJS.Timeout | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let delay = 500;

  async function connect() {
    const lease = new pg.Client({ connectionString, application_name: 'portal-job-leases' });
    newest = lease;
    const lost = () => {
      if (newest !== lease) return;
      client = null;
      lease.end().catch(() => {});
      if (closing || reconnect) return;
      reconnect = setTimeout(() => {
        reconnect = undefined;
        void connect();
      }, delay);
      reconnect.unref();
      delay = Math.min(delay * 2, 30_000);
    };
    lease.on('error', (error) => {
      log.warn({ err: error }, 'lost the job lease connection; reconnecting');
      lost();
    });
    lease.on('end', lost);
    try {
      await lease.connect();
      // Jobs that started while the connection was down are held from now on.
      for (const id of running) await lease.query(`select pg_advisory_lock(${lockKey})`, [id]);
    } catch (error) {
      log.warn({ err: error }, 'could not open the job lease connection; retrying');
      lost();
      return;
    }
    if (closing) {
      await lease.end().catch(() => {});
      return;
    }
    client = lease;
    delay = 500;
  }

  async function sweep() {
    if (!client) return;
    const { rows } = await pool.query<{ id: string; name: string }>(
      `select id, name from ${schema}.job where state = 'active' and started_on < now() - make_interval(secs => $1)`,
      [options.sweepSeconds],
    );
    const active = new Set(rows.map((row) => row.id));
    for (const id of suspects.keys()) if (!active.has(id)) suspects.delete(id);
    for (const row of rows) {
      if (running.has(row.id)) continue;
      // A transaction-level try: released at once, and false while the running node holds it.
      const { rows: tried } = await pool.query<{ free: boolean }>(`select pg_try_advisory_xact_lock(${lockKey}) as free`, [row.id]);
      if (!tried[0]?.free) {
        suspects.delete(row.id);
        continue;
      }
      const seen = (suspects.get(row.id) ?? 0) + 1;
      if (seen < 2) {
        suspects.set(row.id, seen);
        continue;
      }
      suspects.delete(row.id);
      log.warn({ queue: row.name, job: row.id }, 'job left by a process that is gone (no lease); failed so that it is retried');
      await options.fail(row.name, row.id);
    }
  }

  return {
    async start() {
      await connect();
      let sweeping = false;
      sweeper = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        sweep()
          .catch((error) => log.warn({ err: error }, 'job lease sweep failed; will retry'))
          .finally(() => {
            sweeping = false;
          });
      }, options.sweepSeconds * 1000);
      sweeper.unref();
    },
    /**
     * Around a handler: the lease is held while it runs (a lost connection re-takes it). The lock is
     * not waited for: a connection hung by a network fault must not hold the job back, and a sweep
     * judges only jobs older than a sweep, by when the lock is taken (one connection keeps order).
     */
    async hold<T>(id: string, run: () => Promise<T>): Promise<T> {
      running.add(id);
      client?.query(`select pg_advisory_lock(${lockKey})`, [id]).catch((error) => log.warn({ err: error, job: id }, 'job lease not taken'));
      try {
        return await run();
      } finally {
        running.delete(id);
        client?.query(`select pg_advisory_unlock(${lockKey})`, [id]).catch(() => {});
      }
    },
    sweep,
    async stop() {
      closing = true;
      clearInterval(sweeper);
      clearTimeout(reconnect);
      const lease = client;
      client = null;
      await lease?.end().catch(() => {});
    },
  };
}
