import { Worker } from 'node:worker_threads';
import { messages, Mutex, type Results, type Transaction } from '@electric-sql/pglite';

/**
 * The embedded database in a worker thread of its own. PGlite is PostgreSQL compiled to WebAssembly
 * and runs on the thread that calls it: on the main thread, every statement's planning and execution
 * stopped the rendering of every other page, and a node used one core of its machine. Here the main
 * thread renders while the worker runs statements; requests queue in the worker in the order they
 * were sent.
 *
 * It answers the part of PGlite's interface the portal uses (Drizzle's `query` and `transaction`,
 * `exec`, COPY through a blob, `dumpDataDir`, `close`). A transaction is BEGIN … COMMIT sent from
 * here while every statement from outside it waits, as PGlite's own `transaction` does. Results are
 * parsed in the worker by PGlite's parsers, except the types a caller brings parsers for (Drizzle
 * keeps dates and timestamps as text): those arrive as text and the caller's parsers run here.
 */

type Row = Record<string, unknown> | unknown[];
type QueryOptions = { rowMode?: 'array' | 'object'; parsers?: Record<number, (value: string, type: number) => unknown>; blob?: Blob };

export type ThreadRequest =
  | { id: number; op: 'query'; text: string; params?: unknown[]; rowMode?: 'array' | 'object'; rawTypes: number[]; blob?: Blob }
  | { id: number; op: 'exec'; text: string }
  | { id: number; op: 'dump'; compression?: 'none' | 'gzip' | 'auto' }
  | { id: number; op: 'close' };

export type ThreadReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; database: boolean; fields: Record<string, unknown> } };

/** What the worker is started with. */
export interface ThreadStart {
  directory: string;
  loadDataDir?: Blob;
}

type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;

function rebuilt(error: Extract<ThreadReply, { ok: false }>['error']): Error {
  const rebuiltError = error.database ? new messages.DatabaseError(error.message, 0, 'error') : new Error(error.message);
  return Object.assign(rebuiltError, error.fields, { name: error.name });
}

/**
 * The worker, next to this file: JavaScript once built; from source, a worker cannot be given tsx's
 * loader by `--import` (Node 20 resolves its entry before the loader's hooks are in place), so a
 * two-line starter registers tsx in the worker and then imports the TypeScript file.
 */
function startThread(workerData: ThreadStart): Worker {
  const options = { workerData };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./pglite-thread.js', import.meta.url), options);
  const entry = new URL('./pglite-thread.ts', import.meta.url).href;
  const starter = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(starter, { ...options, eval: true });
}

export class PGliteInThread {
  #worker: Worker;
  #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #next = 0;
  #transactions = new Mutex();
  #closed = false;
  #failure: Error | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  /**
   * Starts the worker on a data directory (or `memory://`) and answers once PGlite there is ready;
   * `loadDataDir`, a dump, fills a new directory (tests start from a migrated template so).
   */
  static async open(directory: string, options: { loadDataDir?: Blob } = {}): Promise<PGliteInThread> {
    const worker = startThread({ directory, loadDataDir: options.loadDataDir });
    const client = new PGliteInThread(worker);
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      worker.once('error', failed);
      worker.once('message', () => {
        worker.off('error', failed);
        resolve();
      });
    });
    worker.on('message', (reply: ThreadReply) => client.#settle(reply));
    worker.on('error', (error) => client.#fail(error));
    worker.on('exit', (code) => {
      if (!client.#closed) client.#fail(new Error(`the embedded database's thread stopped (exit code ${code})`));
    });
    return client;
  }

  get closed(): boolean {
    return this.#closed;
  }

  #settle(reply: ThreadReply) {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(rebuilt(reply.error));
  }

  #fail(error: Error) {
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  #call(request: DistributiveOmit<ThreadRequest, 'id'>): Promise<unknown> {
    if (this.#closed && request.op !== 'close') return Promise.reject(new Error('PGlite is closed'));
    if (this.#failure) return Promise.reject(this.#failure);
    const id = ++this.#next;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  /** Outside a transaction, a statement waits for the one under way to end (never runs inside it). */
  async #outside<T>(work: () => Promise<T>): Promise<T> {
    while (this.#transactions.isLocked()) await this.#transactions.waitForUnlock();
    return work();
  }

  async #query<T>(text: string, params: unknown[] | undefined, options: QueryOptions | undefined): Promise<Results<T>> {
    const callerParsers = options?.parsers;
    const rawTypes = callerParsers ? Object.keys(callerParsers).map(Number) : [];
    const result = (await this.#call({ op: 'query', text, params, rowMode: options?.rowMode, rawTypes, blob: options?.blob })) as Results<Row>;
    if (callerParsers && result.rows.length > 0) {
      result.fields.forEach((field, index) => {
        const parse = callerParsers[field.dataTypeID];
        if (!parse) return;
        for (const row of result.rows) {
          if (Array.isArray(row)) row[index] = row[index] === null ? null : parse(row[index] as string, field.dataTypeID);
          else if (row[field.name] !== null) row[field.name] = parse(row[field.name] as string, field.dataTypeID);
        }
      });
    }
    return result as unknown as Results<T>;
  }

  query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.#outside(() => this.#query<T>(text, params, options));
  }

  #exec(text: string): Promise<Array<Results>> {
    return this.#call({ op: 'exec', text }) as Promise<Array<Results>>;
  }

  exec(text: string): Promise<Array<Results>> {
    return this.#outside(() => this.#exec(text));
  }

  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.#transactions.runExclusive(async () => {
      await this.#exec('BEGIN');
      let ended = false;
      const end = async (statement: 'COMMIT' | 'ROLLBACK') => {
        if (ended) return;
        ended = true;
        await this.#exec(statement);
      };
      const tx = {
        query: <R>(text: string, params?: unknown[], options?: QueryOptions) => this.#query<R>(text, params, options),
        exec: (text: string) => this.#exec(text),
        rollback: () => end('ROLLBACK'),
        get closed() {
          return ended;
        },
      } as unknown as Transaction;
      try {
        const result = await work(tx);
        await end('COMMIT');
        return result;
      } catch (error) {
        await end('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  }

  dumpDataDir(compression?: 'none' | 'gzip' | 'auto'): Promise<File | Blob> {
    return this.#outside(() => this.#call({ op: 'dump', compression }) as Promise<File | Blob>);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#outside(() => this.#call({ op: 'close' })).catch(() => {});
    await this.#worker.terminate();
  }
}
