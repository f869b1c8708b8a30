import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../../src/db/client.ts';
import { runMigrations } from '../../../src/db/migrate.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
const skip = serverUrl ? false : 'concurrent starts only happen on a PostgreSQL server (TEST_DATABASE_URL); PGlite is one process';

test('nodes starting at once on a new database migrate it once, one after the other', { skip }, async (t) => {
  const name = `portal_migrate_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  t.after(async () => {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
  const url = new URL(serverUrl ?? '');
  url.pathname = `/${name}`;
  const nodes = await Promise.all([1, 2, 3].map(() => openDatabase({ dataDir: '', databaseUrl: url.toString() })));
  t.after(() => Promise.all(nodes.map((node) => node.close())));

  await Promise.all(nodes.map((node) => runMigrations(node)));
  const check = new pg.Client({ connectionString: url.toString() });
  await check.connect();
  const { rows } = await check.query('select hash, count(*)::int as times from drizzle.__drizzle_migrations group by hash');
  await check.end();
  assert.ok(rows.length > 0);
  assert.deepEqual(rows.filter((row) => row.times !== 1), []);
});
