import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import {
  downloadsByDataset,
  downloadsByLineage,
  viewsOf,
} from '../../../src/modules/stats/stats.repository.ts';
import { createStatsCounter } from '../../../src/modules/stats/stats.service.ts';
import { LocalFileStorage } from '../../../src/storage/local-file-storage.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { buildDataset } from '../../helpers/factories.ts';

test('downloads are counted in batches and survive a flush', async (t) => {
  // An app of our own, closed inside the test, to see the last batch written on close.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portal-stats-'));
  const database = await createTestDatabase();
  t.after(async () => {
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, SEED_DEMO: 'never' });
  const storage = new LocalFileStorage(path.join(dataDir, 'files'));
  const app = await buildApp({ config, database, storage });
  const db = database.db;
  const built = await buildDataset(db, storage, {
    files: [
      { fileName: 'ho-ngheo.csv', content: 'Năm,Số hộ\n2023,10\n2024,12\n' },
      { fileName: 'bao-cao.pdf', content: '%PDF-1.4\n', format: 'PDF', mediaType: 'application/pdf' },
    ],
  });
  const [csv, pdf] = built.resources;
  const base = `/dataset/${built.dataset.slug}/resource`;

  for (const url of [`${base}/${csv.id}/download`, `${base}/${csv.id}/download/ho-ngheo.csv`, `${base}/${csv.id}/convert/xlsx`, `${base}/${pdf.id}/download`]) {
    assert.equal((await app.inject({ method: 'GET', url })).statusCode, 200, url);
  }
  // Neither a look at the headers nor the resource page is a download.
  await app.inject({ method: 'HEAD', url: `${base}/${csv.id}/download` });
  await app.inject({ method: 'GET', url: `${base}/${csv.id}` });
  app.stats.countView(built.dataset.id);
  app.stats.countView(built.dataset.id);
  app.stats.countView('not-a-uuid'); // dropped, never an error

  // Nothing is written per request: the counts wait in memory for the next flush.
  assert.equal((await downloadsByLineage(db, [csv.lineageId])).get(csv.lineageId), 0);
  await app.stats.flush();
  assert.equal((await downloadsByLineage(db, [csv.lineageId])).get(csv.lineageId), 3);
  assert.equal((await downloadsByLineage(db, [pdf.lineageId])).get(pdf.lineageId), 1);
  assert.equal(await viewsOf(db, built.dataset.id), 2);

  // A second batch adds to the first (insert … on conflict do update), and closing the app flushes it.
  await app.inject({ method: 'GET', url: `${base}/${csv.id}/convert/json` });
  app.stats.countView(built.dataset.id);
  await app.close();
  assert.equal((await downloadsByLineage(db, [csv.lineageId])).get(csv.lineageId), 4);
  assert.equal(await viewsOf(db, built.dataset.id), 3);
  assert.equal((await downloadsByDataset(db, [built.dataset.id])).get(built.dataset.id), 5);
});

test('counting never fails a request when the database refuses the batch', async () => {
  // A real database, closed: every write fails as it would during an outage.
  const database = await createTestDatabase();
  await database.close();
  const logged: string[] = [];
  const log = { warn: (_: unknown, message: string) => logged.push(message), error: (_: unknown, message: string) => logged.push(message) };
  const counter = createStatsCounter({ db: database.db, log: log as never, flushIntervalMs: 60_000 });
  counter.countDownload({ lineageId: crypto.randomUUID(), revisionId: crypto.randomUUID() });
  counter.countView(crypto.randomUUID());
  await counter.close();
  assert.deepEqual(logged, ['download counts could not be written', 'view counts could not be written']);
  // After closing, counts are ignored rather than kept in memory for a flush that never comes.
  counter.countView(crypto.randomUUID());
  await counter.flush();
  assert.equal(logged.length, 2);
});
