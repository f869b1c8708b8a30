import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { TableLimitError } from './table-limits.ts';
import type { FromWorker, SerialisedError, ToWorker } from './worker-protocol.ts';

/**
 * Runs the reading of untrusted files (inspection, previews, conversions) in worker threads, so a
 * runaway file can neither block the event loop that answers everyone else nor take the process's
 * memory with it (issue 10): each worker has a heap cap, each job a time limit, and a job whose
 * client went away is stopped by terminating its worker. Input and output stream through messages
 * with backpressure: the worker pulls one chunk at a time, and each chunk it writes waits for the
 * output to drain.
 */

export type JobStreams = {
  /** Opens the job's input anew each time the worker asks (an XLSX may be read twice). */
  open?: () => Promise<Readable>;
  /** Receives what the job writes; ended when the job ends it, destroyed when the job fails. */
  output?: Writable;
  signal?: AbortSignal;
  timeLimitMs: number;
};

export type WorkerPoolOptions = {
  /** The worker's entry module (file URL). */
  entry: URL;
  maxWorkers: number;
  /** V8 old-generation cap per worker: a bomb that slips through fails its job, not the process. */
  maxHeapMb: number;
};

/** Why a job was stopped from outside: too long, too much memory, or nobody waiting for it. */
export class JobStoppedError extends Error {
  override readonly name = 'JobStoppedError';
  constructor(readonly reason: 'timeout' | 'memory' | 'aborted' | 'crashed') {
    super(`file job stopped: ${reason}`);
  }
}

type Pending = { kind: string; args: unknown; streams: JobStreams; resolve: (value: unknown) => void; reject: (error: Error) => void };

export function createWorkerPool(options: WorkerPoolOptions) {
  const idle: Worker[] = [];
  let running = 0;
  const queue: Pending[] = [];
  let closed = false;

  function spawn(): Worker {
    const [source, evaluated] = workerSource(options.entry);
    const worker = new Worker(source, { ...evaluated, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb } });
    // An idle worker must not keep the process alive (tests, CLI commands, shutdown).
    worker.unref();
    // A worker that dies while idle must not be handed the next job.
    worker.once('exit', () => {
      const at = idle.indexOf(worker);
      if (at >= 0) idle.splice(at, 1);
    });
    return worker;
  }

  function next() {
    while (queue.length > 0 && (idle.length > 0 || running < options.maxWorkers)) {
      const job = queue.shift() as Pending;
      if (job.streams.signal?.aborted) {
        job.reject(new JobStoppedError('aborted'));
        continue;
      }
      const worker = idle.pop() ?? spawn();
      running++;
      runOn(worker, job).then(
        ({ value, reusable }) => {
          release(worker, reusable);
          job.resolve(value);
        },
        (error: Error & { reusable?: boolean }) => {
          release(worker, error.reusable === true);
          job.reject(error);
        },
      );
    }
  }

  function release(worker: Worker, reusable: boolean) {
    running--;
    if (reusable && !closed) {
      worker.unref();
      idle.push(worker);
    } else void worker.terminate();
    next();
  }

  return {
    /** Runs job `kind` (see file-jobs.worker.ts) with `args`; rejects with the job's own error. */
    run<T>(kind: string, args: unknown, streams: JobStreams): Promise<T> {
      if (closed) return Promise.reject(new Error('the file worker pool is closed'));
      return new Promise<T>((resolve, reject) => {
        queue.push({ kind, args, streams, resolve: resolve as (value: unknown) => void, reject });
        next();
      });
    },
    async close() {
      closed = true;
      await Promise.all(idle.splice(0).map((worker) => worker.terminate()));
    },
  };
}

/** One job on one worker. `reusable` says whether the worker may take another job afterwards. */
function runOn(worker: Worker, job: Pending): Promise<{ value: unknown; reusable: boolean }> {
  const { streams } = job;
  worker.ref(); // a running job keeps the process alive, like any request in flight
  const inputs = new Map<number, AsyncIterator<Buffer | string>>();
  let nextInput = 0;
  let settled = false;

  return new Promise((resolve, reject) => {
    const post = (message: ToWorker) => {
      if (!settled) worker.postMessage(message);
    };
    const finish = (error: Error | null, value?: unknown, reusable = true) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      streams.signal?.removeEventListener('abort', onAbort);
      streams.output?.off('close', onOutputClose);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      for (const input of inputs.values()) void input.return?.()?.catch(() => {});
      if (error) {
        streams.output?.destroy();
        reject(Object.assign(error, { reusable }));
      } else resolve({ value, reusable });
    };
    // Stopping a worker is the only way to stop synchronous work inside it.
    const stop = (reason: JobStoppedError['reason']) => finish(new JobStoppedError(reason), undefined, false);
    const timer = setTimeout(() => stop('timeout'), streams.timeLimitMs);
    const onAbort = () => stop('aborted');
    const onOutputClose = () => {
      if (!streams.output?.writableFinished) stop('aborted');
    };
    const onError = (error: Error & { code?: string }) =>
      finish(new JobStoppedError(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crashed'), undefined, false);
    const onExit = () => finish(new JobStoppedError('crashed'), undefined, false);

    const onMessage = async (message: FromWorker) => {
      try {
        switch (message.type) {
          case 'open': {
            if (!streams.open) throw new Error('this job has no input');
            const id = nextInput++;
            const source = await streams.open();
            inputs.set(id, source[Symbol.asyncIterator]());
            post({ type: 'opened', request: message.request, stream: id });
            break;
          }
          case 'pull': {
            const input = inputs.get(message.stream);
            if (!input) break;
            try {
              const chunk = await input.next();
              if (chunk.done) post({ type: 'end', stream: message.stream });
              else post({ type: 'chunk', stream: message.stream, data: typeof chunk.value === 'string' ? Buffer.from(chunk.value) : chunk.value });
            } catch (error) {
              post({ type: 'input-error', stream: message.stream, message: (error as Error).message });
            }
            break;
          }
          case 'close-input': {
            void inputs.get(message.stream)?.return?.()?.catch(() => {});
            inputs.delete(message.stream);
            break;
          }
          case 'write': {
            const output = streams.output;
            if (!output) throw new Error('this job has no output');
            if (!output.write(Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength))) await once(output, 'drain');
            post({ type: 'written' });
            break;
          }
          case 'end-output':
            streams.output?.end();
            break;
          case 'done':
            finish(null, message.value);
            break;
          case 'failed':
            finish(revive(message.error));
            break;
        }
      } catch (error) {
        finish(error as Error, undefined, false);
      }
    };

    streams.signal?.addEventListener('abort', onAbort, { once: true });
    if (streams.signal?.aborted) return stop('aborted');
    streams.output?.on('close', onOutputClose);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage({ type: 'job', kind: job.kind, args: job.args } satisfies ToWorker);
  });
}

/**
 * A built entry (.js) is loaded as it is. A TypeScript entry (tsx in development and tests) needs
 * tsx registered inside the worker first: Node 20 does not run the process's `--import tsx` before
 * a worker's entry. The process's execArgv is not passed on (the test runner's flags are refused
 * in workers).
 */
function workerSource(entry: URL): [string | URL, { eval?: boolean }] {
  if (!entry.pathname.endsWith('.ts')) return [entry, {}];
  const tsx = import.meta.resolve('tsx/esm/api');
  return [`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`, { eval: true }];
}

/** The job's error as the caller would have seen it without a worker (limits keep their class). */
function revive(error: SerialisedError): Error {
  if (error.name === 'TableLimitError') return new TableLimitError(error.code as TableLimitError['code'], error.params ?? {});
  const revived = new Error(error.message);
  revived.name = error.name;
  return revived;
}
