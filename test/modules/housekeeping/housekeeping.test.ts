import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loginFailures } from '../../../src/modules/accounts/accounts.table.ts';
import { recordLoginFailure } from '../../../src/modules/accounts/accounts.repository.ts';
import { sweepExpiredRows } from '../../../src/modules/housekeeping/housekeeping.ts';
import { createSession } from '../../../src/modules/sessions/sessions.service.ts';
import { sessions } from '../../../src/modules/sessions/sessions.table.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildUser } from '../../helpers/factories.ts';

test('housekeeping deletes expired sessions and old failed sign-ins, and keeps the rest', async (t) => {
  const { app, db } = await buildTestApp(t);
  const user = await buildUser(db);
  const policy = app.sessionPolicy;
  await createSession(db, user.id, policy);
  await recordLoginFailure(db, user.email, '203.0.113.9');

  await sweepExpiredRows(db, policy, new Date());
  assert.equal((await db.select().from(sessions)).length, 1, 'a live session stays');
  assert.equal((await db.select().from(loginFailures)).length, 1, 'a recent failure still counts');

  const later = new Date(Date.now() + (policy.idleMinutes + 1) * 60_000);
  await sweepExpiredRows(db, policy, later);
  assert.equal((await db.select().from(sessions)).length, 0);
  assert.equal((await db.select().from(loginFailures)).length, 0);
});
