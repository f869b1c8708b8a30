import { rm } from 'node:fs/promises';
import path from 'node:path';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { EmbeddedDatabaseBusyError } from './db/embedded-lock.ts';
import { runMigrations } from './db/migrate.ts';
import { demoAccounts, demoPassword } from './modules/demo/demo-accounts.ts';
import { seedDemoIfEmpty } from './modules/demo/seed-demo.ts';
import { unhandledRejections } from './modules/operations/metrics.ts';
import { storageFromConfig } from './storage/storage-from-config.ts';

/** Starts the portal: migrate, load the demo on an empty embedded database, listen, stop gracefully. */
async function main() {
  const started = Date.now();
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, inThread: config.PGLITE_THREAD === 'on' });
  const storage = await storageFromConfig(config);
  const app = await buildApp({ config, database, storage });
  app.addHook('onClose', async () => database.close());
  // Last resort for a promise that failed with nobody awaiting or catching it (a bug: each known one is
  // caught at its source). Logged at error level, with the request id when it began in a request (the
  // logger's mixin reads it from the promise's async context), and counted; the node keeps serving.
  // Such a rejection is almost always a lost database connection in a background task: every node
  // meets the same outage at once, so exiting would turn a database blip into the whole portal
  // restarting (docs/operations.md). An uncaught exception still ends the process (Node's default).
  process.on('unhandledRejection', (reason) => {
    unhandledRejections.inc();
    app.log.error({ err: reason }, 'unhandled promise rejection (a promise neither awaited nor caught); the node keeps serving');
  });

  try {
    await runMigrations(database);
    // Half-written files of uploads interrupted by a crash or a restart.
    await rm(path.join(config.dataDir, 'tmp', 'uploads'), { recursive: true, force: true });
    const swept = await storage.sweepTemporary();
    if (swept > 0) app.log.info({ swept }, 'removed temporary files left by an interrupted upload');
    const seeded = await seedDemoIfEmpty({ config, database, storage, log: app.log });
    if (seeded) app.log.info({ ...seeded, demoAccounts: demoAccounts.map((account) => account.email), demoPassword }, 'loaded the demo catalogue and demo accounts');
    await app.ready();
    // Index what the outbox holds (the demo, changes made while stopped) before the first visitor.
    await app.searchIndexer.drain();
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (error) {
    app.log.error({ err: error }, 'the portal could not start');
    await app.close();
    process.exit(1);
  }
  app.log.info({ ms: Date.now() - started, driver: database.driver, url: `http://${config.HOST}:${config.PORT}` }, `portal ready at http://${config.HOST}:${config.PORT}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping: no new connections, finishing requests in flight');
    // A request that hangs must not keep the process alive for ever.
    const deadline = setTimeout(() => process.exit(1), 15_000);
    deadline.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseBusyError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
