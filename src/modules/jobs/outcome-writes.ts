import { createRequire } from 'node:module';
import type { SqlExecutor } from './sql-adapter.ts';

/** pg-boss's own statements, to recognise the two it sends without awaiting them. */
const plans = createRequire(import.meta.url)('pg-boss/src/plans.js') as {
  completeJobs(schema: string): string;
  failJobsById(schema: string): string;
};

interface Logger {
  warn(details: object, message: string): void;
}

/**
 * pg-boss 10 records a job's outcome without awaiting it: after the handler, its worker calls
 * `this.complete(…)` or `this.fail(…)` and drops the promise (node_modules/pg-boss/src/manager.js,
 * watch()). When the database is lost at that moment (pg_terminate_backend, a restart, a network
 * cut), that statement's rejection is unhandled and Node ends the process: the portal node died
 * once in 14 outage fault runs (docs/operations.md). Those two statements therefore never reject:
 * they are tried again a few times (the outcome is usually written seconds later, once the
 * database is back), and if it is still away the failure is logged and the job stays active until
 * pg-boss's expiry retries it, as after a crash. Both statements only touch jobs still active (or
 * not yet completed), so sending one again is harmless. Every other statement fails as before.
 */
export function guardOutcomeWrites(executor: SqlExecutor, schema: string, log: Logger, retryDelaysMs = [500, 2_000, 5_000]): SqlExecutor {
  const outcomes = new Map([
    [plans.completeJobs(schema), 'completed'],
    [plans.failJobsById(schema), 'failed'],
  ]);
  return {
    async executeSql(text, values) {
      const outcome = outcomes.get(text);
      if (!outcome) return executor.executeSql(text, values);
      for (let attempt = 0; ; attempt++) {
        try {
          return await executor.executeSql(text, values);
        } catch (error) {
          const jobs = (values?.[1] as string[] | undefined) ?? [];
          if (attempt >= retryDelaysMs.length) {
            log.warn({ err: error, queue: values?.[0], jobs, outcome }, 'job outcome not recorded (database unavailable); the job is retried after its expiry');
            return { rows: [{ count: '0' }] };
          }
          log.warn({ err: error, queue: values?.[0], jobs, outcome, attempt: attempt + 1 }, 'job outcome not recorded yet (database unavailable); trying again');
          await new Promise((resolve) => setTimeout(resolve, retryDelaysMs[attempt]));
        }
      }
    },
  };
}
