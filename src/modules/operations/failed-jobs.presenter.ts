import type { FailedJobRow } from '../jobs/failed-jobs.repository.ts';

export interface FailedJobView {
  id: string;
  queue: string;
  failedAt: Date;
  attempts: number;
  error: string;
  payloadSummary: string;
}

const secretKey = /pass|token|secret|signature|cookie/i;

/** Short, single-line, and without secrets: enough to recognise the job, not to replay it by hand. */
function summarise(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > 60 ? `${value.slice(0, 60)}…` : value;
  if (Array.isArray(value)) return depth > 2 ? `[${value.length}]` : value.slice(0, 5).map((item) => summarise(item, depth + 1));
  if (value && typeof value === 'object') {
    if (depth > 2) return '{…}';
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, secretKey.test(key) ? '•••' : summarise(item, depth + 1)]));
  }
  return value;
}

/** pg-boss keeps what the worker threw (a serialised Error, or whatever it was given) in `output`. */
function errorMessage(output: unknown): string {
  if (output && typeof output === 'object') {
    const message = (output as Record<string, unknown>).message ?? (output as Record<string, unknown>).value;
    if (typeof message === 'string') return message;
    if (message && typeof message === 'object' && typeof (message as Record<string, unknown>).message === 'string') return (message as Record<string, string>).message;
  }
  return typeof output === 'string' ? output : '';
}

/** What the dead-letter page shows: the error's first line only (never a stack trace). */
export function presentFailedJob(row: FailedJobRow): FailedJobView {
  const summary = JSON.stringify(summarise(row.payload ?? {})) ?? '';
  const message = errorMessage(row.output).split('\n')[0].trim();
  return {
    id: row.id,
    queue: row.queue,
    failedAt: row.failedAt,
    attempts: row.retryCount + 1,
    error: message.length > 300 ? `${message.slice(0, 300)}…` : message,
    payloadSummary: summary.length > 300 ? `${summary.slice(0, 300)}…` : summary,
  };
}
