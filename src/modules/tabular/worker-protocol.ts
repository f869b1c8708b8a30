import { parentPort } from 'node:worker_threads';
import { Readable, Writable } from 'node:stream';

/**
 * Messages between worker-pool.ts (main thread) and a file worker, and the worker's side of them:
 * input streams pulled chunk by chunk, an output whose writes wait for the main thread's drain.
 */
export type SerialisedError = { name: string; message: string; code?: string; params?: Record<string, number> };

export type ToWorker =
  | { type: 'job'; kind: string; args: unknown }
  | { type: 'opened'; request: number; stream: number }
  | { type: 'chunk'; stream: number; data: Uint8Array }
  | { type: 'end'; stream: number }
  | { type: 'input-error'; stream: number; message: string }
  | { type: 'written' };

export type FromWorker =
  | { type: 'open'; request: number }
  | { type: 'pull'; stream: number }
  | { type: 'close-input'; stream: number }
  | { type: 'write'; data: Uint8Array }
  | { type: 'end-output' }
  | { type: 'done'; value: unknown }
  | { type: 'failed'; error: SerialisedError };

/** What a job gets inside the worker in place of storage and the HTTP response. */
export type JobContext = {
  /** A new stream of the job's input (the stored file), read on demand. */
  openInput(): Promise<Readable>;
  /** The job's output: each write waits until the main thread has passed it on. */
  output: Writable;
};

export type JobHandler = (args: never, context: JobContext) => Promise<unknown>;

/** The worker's loop: one job at a time, as the pool gives them. */
export function serveJobs(handlers: Record<string, JobHandler>): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs runs in a worker thread');
  const send = (message: FromWorker) => port.postMessage(message);
  const opening = new Map<number, (stream: number) => void>();
  const inputs = new Map<number, Readable>();
  let writeDone: (() => void) | null = null;
  let requests = 0;

  function openInput(): Promise<Readable> {
    const request = requests++;
    return new Promise((resolve) => {
      opening.set(request, (stream) => {
        const readable = new Readable({
          read: () => send({ type: 'pull', stream }),
          destroy: (error, callback) => {
            inputs.delete(stream);
            send({ type: 'close-input', stream });
            callback(error);
          },
        });
        inputs.set(stream, readable);
        resolve(readable);
      });
      send({ type: 'open', request });
    });
  }

  function createOutput(): Writable {
    return new Writable({
      write(chunk: Buffer, _encoding, callback) {
        writeDone = () => callback();
        send({ type: 'write', data: chunk });
      },
      final(callback) {
        send({ type: 'end-output' });
        callback();
      },
    });
  }

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'job': {
        const handler = handlers[message.kind];
        const context = { openInput, output: createOutput() };
        (async () => {
          try {
            if (!handler) throw new Error(`no file job named ${message.kind}`);
            send({ type: 'done', value: await handler(message.args as never, context) });
          } catch (error) {
            const { name, message: text, code, params } = error as Error & { code?: string; params?: Record<string, number> };
            send({ type: 'failed', error: { name: name ?? 'Error', message: text ?? String(error), code, params } });
          } finally {
            for (const input of inputs.values()) input.destroy();
            // Nothing of this job must wait for messages of the next one.
            opening.clear();
            writeDone = null;
          }
        })();
        break;
      }
      case 'opened':
        opening.get(message.request)?.(message.stream);
        opening.delete(message.request);
        break;
      case 'chunk':
        inputs.get(message.stream)?.push(Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength));
        break;
      case 'end':
        inputs.get(message.stream)?.push(null);
        break;
      case 'input-error':
        inputs.get(message.stream)?.destroy(new Error(message.message));
        break;
      case 'written': {
        const done = writeDone;
        writeDone = null;
        done?.();
        break;
      }
    }
  });
}
