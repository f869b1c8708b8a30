import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type TestContext, test } from 'node:test';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../../../src/db/client.ts';
import { runMigrations } from '../../../src/db/migrate.ts';
import { datasetRevisions, datasets } from '../../../src/modules/datasets/datasets.table.ts';
import { resources } from '../../../src/modules/resources/resources.table.ts';
import { LocalFileStorage } from '../../../src/storage/local-file-storage.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { buildDataset } from '../../helpers/factories.ts';

const repositoryRoot = path.resolve(import.meta.dirname, '../../..');
const serverUrl = process.env.TEST_DATABASE_URL;
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
  });
}

async function temporaryDirectory(t: TestContext, name: string) {
  const directory = await mkdtemp(path.join(os.tmpdir(), `portal-${name}-`));
  t.after(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

/** A new, empty database on the server (restore refuses a database that has tables). */
async function emptyServerDatabase(t: TestContext): Promise<string> {
  const name = `portal_restore_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  t.after(async () => {
    const cleanup = new pg.Client({ connectionString: serverUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists "${name}" with (force)`);
    await cleanup.end();
  });
  const url = new URL(serverUrl ?? '');
  url.pathname = `/${name}`;
  return url.toString();
}

/** What must survive: each dataset's slug with its files' recorded hashes and the bytes in storage. */
async function catalogueOf(handle: DatabaseHandle, dataDir: string) {
  const rows = await handle.db
    .select({ slug: datasets.slug, key: resources.storageKey, sha256: resources.sha256 })
    .from(resources)
    .innerJoin(datasetRevisions, eq(resources.revisionId, datasetRevisions.id))
    .innerJoin(datasets, eq(datasetRevisions.datasetId, datasets.id));
  const withFiles = [];
  for (const row of rows) {
    const bytes = await readFile(path.join(dataDir, 'files', row.key ?? ''));
    withFiles.push({ ...row, onDisk: sha256(bytes) });
  }
  return withFiles.sort((a, b) => String(a.key).localeCompare(String(b.key)));
}

test('backup then restore into a fresh database finds the same datasets and files with the same hashes', async (t) => {
  const sourceDir = await temporaryDirectory(t, 'backup-source');
  const targetDir = await temporaryDirectory(t, 'backup-target');
  const backupDir = path.join(await temporaryDirectory(t, 'backup'), 'nightly');

  const source = serverUrl ? await createTestDatabase() : await openDatabase({ dataDir: sourceDir });
  if (!serverUrl) await runMigrations(source);
  const storage = new LocalFileStorage(path.join(sourceDir, 'files'));
  await buildDataset(source.db, storage, { files: [{ content: 'tên,số\nAn Nhơn,1\n' }, { content: Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]) }] });
  await buildDataset(source.db, storage, { published: false, files: [{ content: 'x,y\n1,2\n' }] });
  const before = await catalogueOf(source, sourceDir);
  assert.equal(before.length, 3);
  const sourceUrl = source.connectionString ?? '';
  // PGlite is one process at a time: the command opens it after the test lets go.
  if (!serverUrl) await source.close();
  else t.after(() => source.close());

  const saved = cli(['backup', backupDir], { DATA_DIR: sourceDir, DATABASE_URL: sourceUrl });
  assert.equal(saved.status, 0, saved.stderr);
  assert.match(saved.stdout, /and 3 files into/);
  const again = cli(['backup', backupDir], { DATA_DIR: sourceDir, DATABASE_URL: sourceUrl });
  assert.equal(again.status, 1, 'a backup never writes over another');

  const targetUrl = serverUrl ? await emptyServerDatabase(t) : '';
  const restored = cli(['restore', backupDir], { DATA_DIR: targetDir, DATABASE_URL: targetUrl });
  assert.equal(restored.status, 0, restored.stderr);
  assert.match(restored.stdout, /3 files checked, 0 problem/);
  const refused = cli(['restore', backupDir], { DATA_DIR: targetDir, DATABASE_URL: targetUrl });
  assert.equal(refused.status, 1, 'a restore never mixes a backup into a database in use');
  assert.match(refused.stderr, /not empty/);

  const target = await openDatabase({ dataDir: targetDir, databaseUrl: targetUrl || undefined });
  t.after(() => target.close());
  const after = await catalogueOf(target, targetDir);
  assert.deepEqual(after, before);
  for (const file of after) assert.equal(file.onDisk, file.sha256);
});
