import assert from 'node:assert/strict';
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { sweepOrphanFiles } from '../../../src/modules/housekeeping/orphan-files.ts';
import { resources } from '../../../src/modules/resources/resources.table.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildDataset } from '../../helpers/factories.ts';

// Issue 10, finding 8: kill -9 between the final rename and the commit left a file nothing refers
// to, and nothing ever collected it.

test('finding 8: housekeeping removes an old file no resource refers to, and keeps young and referenced files', async (t) => {
  const { db, storage, dataDir } = await buildTestApp(t);
  const { dataset } = await buildDataset(db, storage, { files: [{ content: 'a,b\n1,2\n' }] });
  const [used] = await db.select().from(resources);
  const old = new Date(Date.now() - 7 * 3_600_000);
  const filePath = (key: string) => path.join(dataDir, 'files', key);

  // Planted as a crash would leave them: stored, never recorded.
  const orphan = `resources/${dataset.id}/00000000-0000-4000-8000-000000000001/data.csv`;
  const young = `resources/${dataset.id}/00000000-0000-4000-8000-000000000002/data.csv`;
  await storage.put(orphan, 'x,y\n');
  await storage.put(young, 'x,y\n');
  await utimes(filePath(orphan), old, old);
  await utimes(filePath(used.storageKey ?? ''), old, old);

  const logged: object[] = [];
  const removed = await sweepOrphanFiles(db, storage, { info: (details) => logged.push(details) });
  assert.deepEqual(removed, [orphan]);
  assert.equal(await storage.exists(orphan), false, 'the old orphan is gone');
  assert.equal(await storage.exists(young), true, 'a young file may still be an upload being committed');
  assert.equal(await storage.exists(used.storageKey ?? ''), true, 'a file a resource refers to stays, however old');
  assert.deepEqual(logged, [{ key: orphan }], 'each removal is logged');

  // Once past the grace period, the young one goes too.
  const later = await sweepOrphanFiles(db, storage, { info: () => {} }, { now: new Date(Date.now() + 7 * 3_600_000) });
  assert.deepEqual(later, [young]);
});
