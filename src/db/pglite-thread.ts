/**
 * The worker thread that holds the embedded database (see pglite-in-thread.ts): PGlite, its named
 * statements, and a loop that answers the main thread's requests one after the other, in the order
 * they came. Values cross as structured clones; errors as their fields, rebuilt on the other side.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pgliteExtensions } from './pglite-extensions.ts';
import { usePreparedStatements } from './pglite-statements.ts';
import type { ThreadReply, ThreadRequest, ThreadStart } from './pglite-in-thread.ts';

const { directory, loadDataDir } = workerData as ThreadStart;
const port = parentPort;
if (!port) throw new Error('pglite-thread.ts runs as a worker thread');

const client = await PGlite.create(directory, { extensions: pgliteExtensions, loadDataDir });
usePreparedStatements(client);

const identity = (value: string) => value;

async function answer(request: ThreadRequest): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      // The caller's parsers stay on its side (functions do not cross threads): their types come raw.
      const parsers = request.rawTypes.length > 0 ? Object.fromEntries(request.rawTypes.map((type) => [type, identity])) : undefined;
      return client.query(request.text, request.params, { rowMode: request.rowMode, parsers, blob: request.blob });
    }
    case 'exec':
      return client.exec(request.text);
    case 'dump':
      return client.dumpDataDir(request.compression);
    case 'close':
      if (!client.closed) await client.close();
      return null;
  }
}

/** An error as its own fields (code, detail, constraint…), which a structured clone of an Error drops. */
function errorOf(error: unknown): Extract<ThreadReply, { ok: false }>['error'] {
  const source = error instanceof Error ? error : new Error(String(error));
  const fields = Object.fromEntries(Object.entries(source).filter(([, value]) => value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)));
  return { name: source.name, message: source.message, database: source.name === 'DatabaseError', fields };
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: ThreadRequest) => {
  queue = queue.then(async () => {
    let reply: ThreadReply;
    try {
      reply = { id: request.id, ok: true, value: await answer(request) };
    } catch (error) {
      reply = { id: request.id, ok: false, error: errorOf(error) };
    }
    port.postMessage(reply);
    if (request.op === 'close') port.close();
  });
});
port.postMessage({ id: 0, ok: true, value: 'ready' } satisfies ThreadReply);
