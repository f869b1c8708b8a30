import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { LocalFileStorage } from '../../src/storage/local-file-storage.ts';
import { createTestDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  db: DatabaseHandle['db'];
  storage: LocalFileStorage;
  config: Config;
  dataDir: string;
}

/** A whole app on its own fresh database and its own storage directory, closed when the test ends. */
export async function buildTestApp(
  t: TestContext,
  env: Record<string, string> = {},
  options: { logStream?: NodeJS.WritableStream; database?: DatabaseHandle } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portal-test-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, SEED_DEMO: 'never', ...env });
  // A database handed over (a second node on the same database) is closed by whoever made it.
  const database = options.database ?? (await createTestDatabase());
  const storage = new LocalFileStorage(path.join(dataDir, 'files'));
  // Mail goes to nodemailer's JSON transport: tests read app.mailer.sent.
  const app = await buildApp({ config, database, storage, mailTransport: { jsonTransport: true }, logStream: options.logStream });
  t.after(async () => {
    await app.close();
    if (!options.database) await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { app, database, db: database.db, storage, config, dataDir };
}
