import { asc, inArray } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type { DatabaseHandle, Queryable } from '../../db/client.ts';
import { vietnamTimeZone } from '../../lib/calendar.ts';
import { createJobLeases } from './job-leases.ts';
import { jobOutbox } from './jobs.table.ts';
import { guardOutcomeWrites } from './outcome-writes.ts';
import { executorOf, executorOfHandle } from './sql-adapter.ts';

/**
 * Background jobs for every module (datastore loads, reminders, mail, integrity checks), on pg-boss,
 * which keeps its queue in our own database (schema `pgboss`): on a PostgreSQL server and on PGlite
 * alike. Workers run in the web process.
 *
 *   enqueueJob(tx, name, payload)        inside a business transaction: sent when (and only if) it commits
 *   app.jobs.enqueue(name, payload)      at once, outside a transaction
 *   app.jobs.work(name, handler, opts)   handle a queue (retries with backoff; a crash retries after expiry)
 *   app.jobs.scheduleDaily(name, 'HH:MM') a daily run, Vietnam time, once across all processes
 */

export interface QueueOptions {
  /** Attempts after the first failure (default 3), each later than the last (backoff from retryDelaySeconds). */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** A job still running after this long is taken for dead (a crashed process) and retried. */
  expireInSeconds?: number;
  /** 'stately' keeps one waiting and one running job per singletonKey; default 'standard'. */
  policy?: 'standard' | 'stately';
  /** Jobs of this queue handled at the same time by this process (default 1). */
  concurrency?: number;
}

export interface SendOptions {
  /** At most one waiting job with this key per queue (pg-boss singletonKey). */
  singletonKey?: string;
  startAfterSeconds?: number;
}

export interface Job<P> {
  id: string;
  name: string;
  payload: P;
  /** 0 on the first attempt. */
  retryCount: number;
  retryLimit: number;
}

export type JobHandler<P> = (job: Job<P>) => Promise<void>;

/** Asks for a job inside the caller's transaction; the runner sends it after the commit. */
export async function enqueueJob(tx: Queryable, name: string, payload: Record<string, unknown>, options: SendOptions = {}): Promise<void> {
  await tx.insert(jobOutbox).values({ name, payload, options: { ...options } });
}

interface Logger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface JobRunnerOptions {
  /** How often workers look for jobs and the outbox is moved (seconds, ≥ 0.5). */
  pollSeconds?: number;
  /** How often a node looks for jobs whose process died (PostgreSQL server; seconds, default 60). */
  leaseSweepSeconds?: number;
}

const timeZone = vietnamTimeZone;

export function createJobRunner(handle: DatabaseHandle, log: Logger, options: JobRunnerOptions = {}) {
  const pollSeconds = options.pollSeconds ?? 2;
  const schema = 'pgboss';
  // pg-boss writes a job's outcome without awaiting it: see outcome-writes.ts (a lost connection there crashed the node).
  const boss = new PgBoss({ db: guardOutcomeWrites(executorOfHandle(handle), schema, log), schema, supervise: true, schedule: true, migrate: true });
  boss.on('error', (error) => log.warn({ err: error }, 'job queue error'));
  // A job whose process died is retried within minutes, not after its expiry (job-leases.ts).
  const leases =
    handle.pool && handle.connectionString
      ? createJobLeases({
          connectionString: handle.connectionString,
          pool: handle.pool,
          schema,
          log,
          sweepSeconds: options.leaseSweepSeconds ?? 60,
          fail: (name, id) => boss.fail(name, id, { message: 'the process running this job stopped (no lease); retried' }),
        })
      : null;
  const workers: Array<{ name: string; handler: JobHandler<unknown>; options: QueueOptions }> = [];
  const schedules: Array<{ name: string; cron: string; payload: Record<string, unknown> }> = [];
  const queues = new Set<string>();
  let started: Promise<void> | null = null;
  let outboxTimer: NodeJS.Timeout | undefined;
  let moving: Promise<number> | null = null;

  async function ensureQueue(name: string, queue: QueueOptions = {}) {
    if (queues.has(name)) return;
    const settings = {
      name,
      // 'stately': at most one waiting and one running job per singletonKey (a lineage, a dataset…).
      policy: queue.policy ?? 'standard',
      retryLimit: queue.retryLimit ?? 3,
      retryDelay: queue.retryDelaySeconds ?? 10,
      retryBackoff: true,
      expireInSeconds: queue.expireInSeconds ?? 15 * 60,
    };
    if (await boss.getQueue(name)) await boss.updateQueue(name, settings);
    else await boss.createQueue(name, settings);
    queues.add(name);
  }

  /** Moves outbox rows into pg-boss in one transaction: each is sent exactly once, after its commit. */
  async function moveOutboxOnce(): Promise<number> {
    return handle.db.transaction(async (tx) => {
      const rows = await tx.select().from(jobOutbox).orderBy(asc(jobOutbox.id)).limit(100).for('update', { skipLocked: true });
      if (rows.length === 0) return 0;
      const executor = executorOf(tx);
      for (const row of rows) {
        await ensureQueue(row.name);
        const sendOptions = row.options as SendOptions;
        await boss.send(row.name, row.payload, {
          db: executor,
          singletonKey: sendOptions.singletonKey,
          startAfter: sendOptions.startAfterSeconds,
        });
      }
      await tx.delete(jobOutbox).where(inArray(jobOutbox.id, rows.map((row) => row.id)));
      return rows.length;
    });
  }

  async function moveOutbox(): Promise<number> {
    // One move at a time in this process; other processes skip the rows this one holds.
    moving ??= (async () => {
      let total = 0;
      try {
        for (let moved = await moveOutboxOnce(); moved > 0; moved = await moveOutboxOnce()) total += moved;
      } finally {
        moving = null;
      }
      return total;
    })();
    return moving;
  }

  async function startWorker(entry: (typeof workers)[number]) {
    await ensureQueue(entry.name, entry.options);
    await boss.work(entry.name, { pollingIntervalSeconds: pollSeconds, batchSize: 1, includeMetadata: true }, async ([job]) => {
      const run = () =>
        entry.handler({
          id: job.id,
          name: job.name,
          payload: job.data,
          retryCount: job.retryCount,
          retryLimit: job.retryLimit,
        });
      await (leases ? leases.hold(job.id, run) : run());
    });
  }

  return {
    /** Handle a queue. Call while the app registers; workers begin when the app is ready. */
    work<P>(name: string, handler: JobHandler<P>, queue: QueueOptions = {}) {
      const entry = { name, handler: handler as JobHandler<unknown>, options: queue };
      workers.push(entry);
      for (let i = 1; i < (queue.concurrency ?? 1); i++) workers.push(entry);
    },

    /** Sends a job now (no transaction to wait for). Returns its id, or null when a singleton is waiting. */
    async enqueue(name: string, payload: Record<string, unknown>, send: SendOptions = {}): Promise<string | null> {
      if (!started) throw new Error(`job ${name} sent before the job runner started (send it from onReady or later)`);
      await started;
      await ensureQueue(name);
      return boss.send(name, payload, { singletonKey: send.singletonKey, startAfter: send.startAfterSeconds });
    },

    /** Runs `name` every day at `time` (HH:MM, Vietnam time); pg-boss makes it once across processes. */
    scheduleDaily(name: string, time: string, payload: Record<string, unknown> = {}) {
      const match = /^(\d{1,2}):(\d{2})$/.exec(time);
      if (!match) throw new Error(`scheduleDaily(${name}): time must be HH:MM, not ${time}`);
      schedules.push({ name, cron: `${Number(match[2])} ${Number(match[1])} * * *`, payload });
    },

    /** Moves waiting outbox rows into the queue now (tests; the timer does it otherwise). */
    moveOutbox,

    /** State of a job, for tests and status pages. */
    async jobState(name: string, id: string) {
      const job = await boss.getJobById(name, id);
      return job ? { state: job.state, retryCount: job.retryCount } : null;
    },

    async start() {
      started ??= (async () => {
        await boss.start();
        await leases?.start();
        for (const entry of workers) await startWorker(entry);
        for (const schedule of schedules) {
          await ensureQueue(schedule.name);
          await boss.schedule(schedule.name, schedule.cron, schedule.payload, { tz: timeZone });
        }
        outboxTimer = setInterval(() => {
          moveOutbox().catch((error) => log.warn({ err: error }, 'job outbox not moved; will retry'));
        }, pollSeconds * 1000);
        outboxTimer.unref();
      })();
      return started;
    },

    async stop() {
      clearInterval(outboxTimer);
      if (!started) return;
      await started.catch(() => {});
      await moving?.catch(() => {});
      // Running jobs get a moment to finish; one cut short is retried after its expiry.
      await boss.stop({ graceful: true, wait: true, timeout: 10_000, close: false }).catch((error) => log.warn({ err: error }, 'job queue did not stop cleanly'));
      await leases?.stop();
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
