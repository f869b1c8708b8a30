import type { ServerResponse } from 'node:http';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createWorkerPool } from '../tabular/worker-pool.ts';
import type { FileJobHandlers } from './file-jobs.worker.ts';

/**
 * The file workers of this process, started on first use. Their entry has the same extension as
 * this module: .ts under tsx (worker-pool.ts registers tsx inside the worker), .js once built.
 */
const extension = path.extname(fileURLToPath(import.meta.url));

/**
 * Two lanes, so that long jobs cannot starve short ones: three anonymous conversions of a large
 * file must not leave every resource page waiting for a worker. Each lane keeps one core free for
 * the event loop when it can.
 */
const lanes = { quick: null as WorkerPool | null, long: null as WorkerPool | null };
type WorkerPool = ReturnType<typeof createWorkerPool>;

function poolFor(lane: keyof typeof lanes): WorkerPool {
  lanes[lane] ??= createWorkerPool({
    entry: new URL(`./file-jobs.worker${extension}`, import.meta.url),
    maxWorkers: Math.max(1, Math.min(2, availableParallelism() - 1)),
    maxHeapMb: 512,
  });
  return lanes[lane];
}

const laneOf = { inspect: 'long', convert: 'long', previewTable: 'quick', previewJson: 'quick', chart: 'quick', geoJson: 'quick' } as const;

/** Time limits per job: a preview reads a few rows; an inspection or a conversion reads everything. */
export const fileJobTimeLimits = {
  inspect: 10 * 60_000,
  previewTable: 20_000,
  previewJson: 20_000,
  chart: 60_000,
  geoJson: 60_000,
  convert: 15 * 60_000,
} satisfies Record<keyof FileJobHandlers, number>;

type ArgsOf<K extends keyof FileJobHandlers> = Parameters<FileJobHandlers[K]>[0];
type ResultOf<K extends keyof FileJobHandlers> = Awaited<ReturnType<FileJobHandlers[K]>>;

/** Runs a file job in a worker thread; `open` gives the stored file, `output` receives a conversion. */
export function runFileJob<K extends keyof FileJobHandlers>(
  kind: K,
  args: ArgsOf<K>,
  streams: { open?: () => Promise<Readable>; output?: Writable; signal?: AbortSignal } = {},
): Promise<ResultOf<K>> {
  return poolFor(laneOf[kind]).run<ResultOf<K>>(kind, args, { ...streams, timeLimitMs: fileJobTimeLimits[kind] });
}

/** Stops the workers (server shutdown); a later job starts new ones. */
export async function closeFileJobs(): Promise<void> {
  const closing = [lanes.quick, lanes.long];
  lanes.quick = null;
  lanes.long = null;
  await Promise.all(closing.map((pool) => pool?.close()));
}

/**
 * Aborts when the client goes away before its answer is complete, so the file job working for it
 * stops (its worker is terminated) instead of burning CPU for nobody: one of the probes of issue
 * 10 left a conversion running 6.5 minutes after its client had gone. The response's 'close' is the
 * signal: since Node 16 the request's own 'close' fires once its body is read, not on a disconnect.
 */
export function clientGone(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}
