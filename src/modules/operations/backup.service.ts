import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Config } from '../../config.ts';
import { type DatabaseHandle, pgliteExtensions } from '../../db/client.ts';
import { acquireEmbeddedLock } from '../../db/embedded-lock.ts';
import type { FileStorage } from '../../storage/file-storage.ts';
import { listStoredFileRows } from './integrity.repository.ts';

/** What a backup directory holds, written last: a directory without it is an unfinished backup. */
export interface BackupManifest {
  format: 1;
  createdAt: string;
  driver: 'pglite' | 'postgres';
  /** database.tar (a PGlite data directory) or database.dump (pg_dump custom format). */
  database: string;
  files: Array<{ key: string; sha256: string; sizeBytes: number }>;
  /** Keys the database names but storage did not have at backup time (also reported by verify-integrity). */
  missing: string[];
}

export class BackupError extends Error {}

const manifestName = 'manifest.json';
const procedure = 'see docs/deploy.md, "Backups"';

function hasTool(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

function run(tool: string, args: string[]) {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new BackupError(`${tool} failed: ${(result.stderr || result.error?.message || '').trim()}`);
}

/** Copies a stream to a file, hashing it on the way. */
async function copyHashed(source: NodeJS.ReadableStream, target: string) {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      done(null, chunk);
    },
  });
  await mkdir(path.dirname(target), { recursive: true });
  await pipeline(source, hashing, createWriteStream(target, { flags: 'wx' }));
  return { sha256: hash.digest('hex'), sizeBytes };
}

/**
 * Writes the database and every stored file the database refers to into `directory` (which must be
 * empty or new). The database is dumped first, then the files: a file is never changed under its key
 * (a new upload gets a new key), so the files copied afterwards cover every row of the dump.
 */
export async function backup(handle: DatabaseHandle, storage: FileStorage, directory: string): Promise<BackupManifest> {
  await mkdir(directory, { recursive: true });
  if ((await readdir(directory)).length > 0) throw new BackupError(`${directory} is not empty: a backup goes into an empty directory.`);
  const keys = new Set<string>();
  for (const row of await listStoredFileRows(handle.db)) {
    if (row.storageKey) keys.add(row.storageKey);
    if (row.originalStorageKey) keys.add(row.originalStorageKey);
  }

  let database: string;
  if (handle.pglite) {
    database = 'database.tar';
    const dump = await handle.pglite.dumpDataDir('none');
    await writeFile(path.join(directory, database), Buffer.from(await dump.arrayBuffer()));
  } else if (handle.connectionString) {
    if (!hasTool('pg_dump')) throw new BackupError(`pg_dump is not on PATH: run it where it is (${procedure}).`);
    database = 'database.dump';
    run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', '--file', path.join(directory, database), handle.connectionString]);
  } else {
    throw new BackupError('this database cannot be backed up from here');
  }

  const files: BackupManifest['files'] = [];
  const missing: string[] = [];
  for (const key of [...keys].sort()) {
    const opened = await storage.open(key);
    if (!opened) {
      missing.push(key);
      continue;
    }
    files.push({ key, ...(await copyHashed(opened.stream, path.join(directory, 'files', key))) });
  }
  const manifest: BackupManifest = { format: 1, createdAt: new Date().toISOString(), driver: handle.driver, database, files, missing };
  await writeFile(path.join(directory, manifestName), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export async function readManifest(directory: string): Promise<BackupManifest> {
  const text = await readFile(path.join(directory, manifestName), 'utf8').catch(() => {
    throw new BackupError(`${directory} holds no ${manifestName}: not a backup, or an unfinished one.`);
  });
  return JSON.parse(text) as BackupManifest;
}

/** The configured database must be new: a restore never mixes a backup into live data. */
async function assertEmptyServerDatabase(connectionString: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query(`select count(*)::int as tables from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`);
    if (rows[0].tables > 0) throw new BackupError('the database in DATABASE_URL is not empty: restore into a new database (createdb), then point the portal at it.');
  } finally {
    await client.end();
  }
}

/**
 * Loads a backup into the configured database (which must be new) and storage, checking every file
 * against the hash the backup recorded. Run with the portal stopped.
 */
export async function restore(config: Config, storage: FileStorage, directory: string): Promise<BackupManifest> {
  const manifest = await readManifest(directory);
  const dumpFile = path.join(directory, manifest.database);
  if (config.DATABASE_URL) {
    if (manifest.driver !== 'postgres') throw new BackupError('this backup is of an embedded (PGlite) database: restore it without DATABASE_URL.');
    if (!hasTool('pg_restore')) throw new BackupError(`pg_restore is not on PATH: run it where it is (${procedure}).`);
    await assertEmptyServerDatabase(config.DATABASE_URL);
    run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--dbname', config.DATABASE_URL, dumpFile]);
  } else {
    if (manifest.driver !== 'pglite') throw new BackupError('this backup is of a PostgreSQL database: set DATABASE_URL to a new database.');
    const target = path.join(config.dataDir, 'pglite');
    await mkdir(target, { recursive: true });
    if ((await readdir(target)).length > 0) throw new BackupError(`${target} is not empty: restore into a new DATA_DIR.`);
    const lock = acquireEmbeddedLock(config.dataDir);
    try {
      const client = await PGlite.create(target, { loadDataDir: new Blob([await readFile(dumpFile)]), extensions: pgliteExtensions });
      await client.close();
    } finally {
      lock.release();
    }
  }
  for (const file of manifest.files) {
    const stored = await storage.put(file.key, createReadStream(path.join(directory, 'files', file.key)));
    if (stored.sha256 !== file.sha256) throw new BackupError(`${file.key} in the backup does not match its recorded hash: the backup is damaged.`);
  }
  return manifest;
}
