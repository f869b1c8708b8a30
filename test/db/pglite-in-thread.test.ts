import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { PGlite, types } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { openDatabase, rowsOf } from '../../src/db/client.ts';
import { PGliteInThread } from '../../src/db/pglite-in-thread.ts';

// The embedded database in a worker thread (src/db/pglite-in-thread.ts) must answer as PGlite on the
// main thread does: the same rows, errors, transactions and blobs.

/** A small database, made once and dumped: each test loads a copy on each side (initdb costs seconds). */
const dumped = (async () => {
  const client = await PGlite.create();
  await client.exec(`create table t (id int primary key, name text, at timestamptz, day date, tags text[], doc jsonb, n numeric, bytes bytea)`);
  await client.exec(`insert into t values (1, 'một', '2024-01-02T03:04:05Z', '2024-01-02', '{a,b}', '{"k":1}', 1.5, '\\x00ff'), (2, null, null, null, '{}', null, null, null)`);
  const dump = await client.dumpDataDir('none');
  await client.close();
  return dump;
})();

async function twoClients(t: { after(fn: () => Promise<void>): void }) {
  const plain = await PGlite.create({ loadDataDir: await dumped });
  const threaded = await PGliteInThread.open('memory://', { loadDataDir: await dumped });
  t.after(async () => {
    await plain.close();
    await threaded.close();
  });
  return { plain, threaded };
}

test('a statement in the worker answers as PGlite on the main thread, in object and array modes', async (t) => {
  const { plain, threaded } = await twoClients(t);
  const text = 'select id, name, at, day, tags, doc, n, bytes from t where id >= $1 order by id';
  for (let i = 0; i < 7; i++) {
    assert.deepEqual(await threaded.query(text, [1]), await plain.query(text, [1]));
    assert.deepEqual(await threaded.query(text, [2], { rowMode: 'array' }), await plain.query(text, [2], { rowMode: 'array' }));
  }
  assert.deepEqual(await threaded.exec('select 1 as one; select name from t order by id'), await plain.exec('select 1 as one; select name from t order by id'));
});

test("the caller's parsers run on its side for their types, as Drizzle keeps timestamps and dates as text", async (t) => {
  const { plain, threaded } = await twoClients(t);
  const asText = (value: string) => `text:${value}`;
  const options = { parsers: { [types.TIMESTAMPTZ]: asText, [types.DATE]: asText } };
  const text = 'select id, at, day from t where id = $1';
  const [fromThread, fromPlain] = [await threaded.query(text, [1], options), await plain.query(text, [1], options)];
  assert.deepEqual(fromThread, fromPlain);
  assert.deepEqual(fromThread.rows[0], { id: 1, at: 'text:2024-01-02 03:04:05+00', day: 'text:2024-01-02' });
  const arrays = await threaded.query(text, [2], { ...options, rowMode: 'array' });
  assert.deepEqual(arrays.rows[0], [2, null, null], 'a null stays null');
});

test('an error from the worker keeps its code, detail and query', async (t) => {
  const { threaded } = await twoClients(t);
  const insert = 'insert into t (id, name) values ($1, $2)';
  await assert.rejects(threaded.query(insert, [1, 'again']), (error: { code?: string; constraint?: string; query?: string; message: string }) => {
    assert.equal(error.code, '23505');
    assert.equal(error.constraint, 't_pkey');
    assert.equal(error.query, insert);
    assert.match(error.message, /duplicate key/);
    return true;
  });
  await assert.rejects(threaded.exec('select * from nowhere'), { code: '42P01' });
  assert.equal((await threaded.query<{ n: number }>('select count(*)::int as n from t where id > $1', [0])).rows[0].n, 2, 'and the next statement runs');
});

test('a transaction commits or rolls back, and statements sent meanwhile run after it', async (t) => {
  const { threaded } = await twoClients(t);
  const read = 'select name from t where id = $1';
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const rolledBack = threaded.transaction(async (tx) => {
    await tx.query('update t set name = $1 where id = $2', ['đổi', 1]);
    await held;
    throw new Error('changed my mind');
  });
  // Sent while the transaction is open: it runs after it, so it never sees the rolled-back change.
  const outside = threaded.query<{ name: string }>(read, [1]);
  release();
  await assert.rejects(rolledBack, /changed my mind/);
  assert.equal((await outside).rows[0].name, 'một');
  const committed = await threaded.transaction(async (tx) => {
    await tx.query('update t set name = $1 where id = $2', ['hai', 2]);
    return (await tx.query<{ name: string }>(read, [2])).rows[0].name;
  });
  assert.equal(committed, 'hai');
  assert.equal((await threaded.query<{ name: string }>(read, [2])).rows[0].name, 'hai');
});

test('COPY reads a blob sent to the worker, and a dump of the data directory comes back', async (t) => {
  const { threaded } = await twoClients(t);
  await threaded.query(`copy t (id, name) from '/dev/blob' with (format csv)`, [], { blob: new Blob(['3,ba\n4,bốn\n']) });
  assert.deepEqual((await threaded.query('select name from t where id > $1 order by id', [2])).rows, [{ name: 'ba' }, { name: 'bốn' }]);
  const dump = await threaded.dumpDataDir('none');
  const restored = await PGlite.create({ loadDataDir: dump });
  t.after(() => restored.close());
  assert.equal((await restored.query<{ n: number }>('select count(*)::int as n from t')).rows[0].n, 4);
});

test('a data directory opens in a worker by default and keeps what was written after it closes', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portal-pglite-thread-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const first = await openDatabase({ dataDir });
  assert.ok(first.pglite instanceof PGliteInThread);
  await first.db.execute(sql`create table kept (word text)`);
  await first.db.execute(sql`insert into kept values (${'giữ lại'})`);
  await first.close();
  await assert.rejects(first.db.execute(sql`select 1`), (error: Error) => /closed/.test(String((error.cause as Error | undefined)?.message)));
  const second = await openDatabase({ dataDir, inThread: false });
  t.after(() => second.close());
  assert.ok(second.pglite instanceof PGlite);
  assert.deepEqual(rowsOf(await second.db.execute(sql`select word from kept`)), [{ word: 'giữ lại' }]);
});
