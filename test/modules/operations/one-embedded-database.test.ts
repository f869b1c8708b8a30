import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EmbeddedDatabaseInUseError } from '../../../src/db/embedded-claim.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { createTestDatabase } from '../../helpers/database.ts';

// Issue 17, item 5: several nodes share a PostgreSQL server. Embedded PGlite is one process with one
// connection; a second app on it used to interleave its transactions with the first one's and break
// the job runner's start with "current transaction is aborted". It is now refused with a sentence.
const skip = process.env.TEST_DATABASE_URL ? 'a PostgreSQL server takes any number of apps: nothing to refuse' : false;

test('a second app on one embedded PGlite database is refused at once with a sentence naming PostgreSQL; once the first closes, another may open', { skip }, async (t) => {
  const shared = await createTestDatabase();
  t.after(() => shared.close());
  const first = await buildTestApp(t, {}, { database: shared });
  await first.app.ready();
  await assert.rejects(buildTestApp(t, {}, { database: shared }), (error: Error) => {
    assert.ok(error instanceof EmbeddedDatabaseInUseError);
    assert.match(error.message, /one process with one connection/);
    assert.match(error.message, /PostgreSQL server \(DATABASE_URL\)/);
    return true;
  });
  await first.app.close();
  const next = await buildTestApp(t, {}, { database: shared });
  await next.app.ready();
  assert.equal((await next.app.inject({ url: '/healthz' })).statusCode, 200);
});
