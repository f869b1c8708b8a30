import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../helpers/database.ts';

const driverName = process.env.TEST_DATABASE_URL ? 'the PostgreSQL server' : 'embedded PGlite';

test(`migrations create every table on ${driverName}`, async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.close());
  const result = await database.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  const tables = ((result as { rows: unknown[] }).rows as Array<{ table_name: string }>).map((row) => row.table_name);
  for (const table of ['agencies', 'topics', 'datasets', 'dataset_revisions', 'resources', 'settings']) {
    assert.ok(tables.includes(table), `${table} exists`);
  }
});

test(`portal_unaccent folds Vietnamese diacritics and đ on ${driverName}`, async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.close());
  const result = await database.db.execute(sql`select portal_unaccent('Giáo dục, Đường bộ, Y tế') as folded`);
  assert.equal(((result as { rows: unknown[] }).rows[0] as { folded: string }).folded, 'Giao duc, Duong bo, Y te');
});

test(`an agency kind outside the four kinds is refused by the database on ${driverName}`, async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.close());
  await assert.rejects(
    database.db.execute(sql`insert into agencies (slug, name, kind) values ('x', 'X', 'company')`),
    (error: Error & { cause?: { constraint?: string } }) => error.cause?.constraint === 'agencies_kind_check',
  );
});
