import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type DatabaseHandle, openDatabase, pgliteExtensions } from '../../src/db/client.ts';
import { migrationsFolder, runMigrations } from '../../src/db/migrate.ts';
import { PGliteInThread } from '../../src/db/pglite-in-thread.ts';

/**
 * One fresh, migrated database per test. PGlite (default): migrate once per test process, dump the
 * data directory, and load a copy for each test. A PostgreSQL server (TEST_DATABASE_URL): migrate a
 * template database once per migration set, then CREATE DATABASE … TEMPLATE for each test.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  return serverUrl ? createServerDatabase(serverUrl) : createPgliteDatabase();
}

let pgliteTemplate: Promise<Blob> | undefined;

/**
 * The migrated template, shared by the test processes of one run (and the next runs) through a file
 * named after the migrations: migrating PGlite costs seconds, loading a dump a fraction of that.
 */
async function loadPgliteTemplate(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `portal-pglite-template-${migrationsHash()}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const client = await PGlite.create({ extensions: pgliteExtensions });
    await runMigrations(await openDatabase({ dataDir: '', pglite: client }));
    const dump = await client.dumpDataDir('none');
    await client.close();
    const temporary = `${file}.${process.pid}.part`;
    await writeFile(temporary, Buffer.from(await dump.arrayBuffer()));
    await rename(temporary, file);
    return dump;
  }
}

async function createPgliteDatabase(): Promise<DatabaseHandle> {
  pgliteTemplate ??= loadPgliteTemplate();
  // TEST_PGLITE_THREAD=on: every test's database in a worker thread, as `npm start` runs it.
  const client =
    process.env.TEST_PGLITE_THREAD === 'on'
      ? await PGliteInThread.open('memory://', { loadDataDir: await pgliteTemplate })
      : await PGlite.create({ loadDataDir: await pgliteTemplate, extensions: pgliteExtensions });
  return openDatabase({ dataDir: '', pglite: client });
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsFolder).filter((name) => name.endsWith('.sql')).sort()) {
    hash.update(file).update(readFileSync(path.join(migrationsFolder, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

let serverTemplate: Promise<string> | undefined;

async function ensureServerTemplate(serverUrl: string): Promise<string> {
  const name = `portal_test_template_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // Test files run in parallel processes: one of them builds the template, the others wait.
    await admin.query('select pg_advisory_lock(424242)');
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      await admin.query(`create database "${name}"`);
      const handle = await openDatabase({ dataDir: '', databaseUrl: withDatabase(serverUrl, name) });
      try {
        await runMigrations(handle);
      } catch (error) {
        await handle.close();
        await admin.query(`drop database if exists "${name}"`);
        throw error;
      }
      await handle.close();
    }
  } finally {
    await admin.query('select pg_advisory_unlock(424242)').catch(() => {});
    await admin.end();
  }
  return name;
}

async function createServerDatabase(serverUrl: string): Promise<DatabaseHandle> {
  serverTemplate ??= ensureServerTemplate(serverUrl);
  const template = await serverTemplate;
  const name = `portal_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}" template "${template}"`);
  await admin.end();
  const handle = await openDatabase({ dataDir: '', databaseUrl: withDatabase(serverUrl, name) });
  return {
    ...handle,
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}
