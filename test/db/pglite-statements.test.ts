import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { usePreparedStatements } from '../../src/db/pglite-statements.ts';

// PGlite's query() with parameters runs each text as a named prepared statement (src/db/pglite-statements.ts):
// answers, errors and transactions must be what PGlite's own path gives.

async function twoClients(t: { after(fn: () => Promise<void>): void }) {
  const plain = await PGlite.create();
  const named = await PGlite.create();
  usePreparedStatements(named);
  t.after(async () => {
    await plain.close();
    await named.close();
  });
  for (const client of [plain, named]) {
    await client.exec(`create table t (id int primary key, name text, at timestamptz, tags text[], doc jsonb, n numeric)`);
    await client.exec(`insert into t values (1, 'một', '2024-01-02T03:04:05Z', '{a,b}', '{"k":1}', 1.5), (2, null, null, '{}', null, null)`);
  }
  return { plain, named };
}

test('a named statement answers as PGlite does, call after call, in object and array modes', async (t) => {
  const { plain, named } = await twoClients(t);
  const text = 'select id, name, at, tags, doc, n from t where id >= $1 order by id';
  for (let i = 0; i < 8; i++) {
    // Past five calls PostgreSQL may switch to a generic plan: the answer must not change.
    assert.deepEqual(await named.query(text, [1]), await plain.query(text, [1]));
    assert.deepEqual(await named.query(text, [2], { rowMode: 'array' }), await plain.query(text, [2], { rowMode: 'array' }));
  }
  const write = 'update t set name = $1 where id = $2';
  assert.deepEqual(await named.query(write, ['hai', 2]), await plain.query(write, ['hai', 2]));
  assert.deepEqual(await named.query('select name from t where id = $1', [2]), await plain.query('select name from t where id = $1', [2]));
});

test('an error carries its code and the query, and the statement still works afterwards', async (t) => {
  const { named } = await twoClients(t);
  const insert = 'insert into t (id, name) values ($1, $2)';
  await named.query(insert, [3, 'ba']);
  await assert.rejects(named.query(insert, [3, 'ba']), (error: { code?: string; query?: string }) => error.code === '23505' && error.query === insert);
  await assert.rejects(named.query('select * from t where id = $1', ['not a number']), { code: '22P02' });
  await assert.rejects(named.query('select * from nowhere where id = $1', [1]), { code: '42P01' });
  assert.equal((await named.query<{ n: number }>('select count(*)::int as n from t where id > $1', [0])).rows[0].n, 3);
});

test('statements wait for a transaction under way, and one dropped by DEALLOCATE ALL is parsed again', async (t) => {
  const { named } = await twoClients(t);
  const read = 'select name from t where id = $1';
  assert.equal((await named.query<{ name: string }>(read, [1])).rows[0].name, 'một');
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const transaction = named.transaction(async (tx) => {
    await tx.query('update t set name = $1 where id = $2', ['đổi', 1]);
    await held;
    await tx.rollback();
  });
  // Sent while the transaction is open: it runs after it, so it never sees the rolled-back change.
  const outside = named.query<{ name: string }>(read, [1]);
  release();
  await transaction;
  assert.equal((await outside).rows[0].name, 'một');
  await named.exec('deallocate all');
  assert.equal((await named.query<{ name: string }>(read, [1])).rows[0].name, 'một');
  assert.equal((await named.query<{ name: string }>(read, [1])).rows[0].name, 'một');
});

test("a statement whose table changed under it is prepared again, as PGlite's own path would answer", async (t) => {
  const { plain, named } = await twoClients(t);
  const read = 'select * from t where id = $1';
  await named.query(read, [1]);
  // A DataStore reload or a migration can change what the same text returns.
  for (const client of [plain, named]) await client.exec('alter table t alter column n type text using n::text');
  assert.deepEqual(await named.query(read, [1]), await plain.query(read, [1]));
  assert.deepEqual(await named.query(read, [1]), await plain.query(read, [1]), 'and the next call prepares the text again');
});
