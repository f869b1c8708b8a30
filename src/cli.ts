import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, type Config, describeConfig, loadConfig } from './config.ts';
import { type DatabaseHandle, openDatabase } from './db/client.ts';
import { EmbeddedDatabaseBusyError } from './db/embedded-lock.ts';
import { runMigrations } from './db/migrate.ts';
import { listUsers } from './modules/accounts/accounts.repository.ts';
import { createAdminFromCli, disableAccountFromCli } from './modules/accounts/accounts.service.ts';
import { demoAccounts, demoPassword } from './modules/demo/demo-accounts.ts';
import { DatabaseNotEmptyError, seedDemo } from './modules/demo/seed-demo.ts';
import { CatalogueImportError, importCatalogueForYear } from './modules/catalogue/catalogue.service.ts';
import { createMeiliEngine } from './modules/search/meili-engine.ts';
import { createPostgresEngine } from './modules/search/postgres-engine.ts';
import { createSearchIndexer } from './modules/search/search.outbox.ts';
import { sweepOrphanFiles } from './modules/housekeeping/orphan-files.ts';
import { AppError } from './lib/errors.ts';
import { translator } from './i18n/i18n.ts';
import { BackupError, backup, restore } from './modules/operations/backup.service.ts';
import { verifyIntegrity } from './modules/operations/integrity.service.ts';
import { storageFromConfig } from './storage/storage-from-config.ts';

/** Where the server keeps files, as server.ts opens it. */
const storageOf = storageFromConfig;

/** A mistake in how a command was called: printed as it is, with exit code 2. */
class UsageError extends Error {}

interface CommandContext {
  config: Config;
  /** Opens (and migrates) the database; commands that need none never lock it. */
  database(): Promise<DatabaseHandle>;
  /** The words after the command name, for the command's own parseArgs. */
  args: string[];
}

interface Command {
  summary: string;
  usage?: string;
  /** Resolves to the exit code when it is not 0 (a check that found a problem). */
  run(context: CommandContext): Promise<unknown>;
}

/** Operator commands: `npm run cli -- <command> [options]`. */
const commands: Record<string, Command> = {
  migrate: {
    summary: 'Apply the database migrations that have not run yet.',
    async run({ database }) {
      await database();
      console.log('Migrations applied.');
    },
  },
  'seed-demo': {
    summary: 'Load the Bình Định demo catalogue (14 topic groups, 167 datasets with CSV files) into an empty database.',
    async run({ config, database }) {
      const handle = await database();
      const summary = await seedDemo({ database: handle, storage: await storageOf(config) });
      console.log(`Loaded ${summary.topics} topic groups, ${summary.agencies} agencies and ${summary.datasets} datasets.`);
      console.log(`Demo accounts (password ${demoPassword}): ${demoAccounts.map((account) => account.email).join(', ')}`);
    },
  },
  'create-admin': {
    summary: 'Create a DOIT account (the first one of a new deployment).',
    usage: '--email E --password P [--name "Full name"]',
    async run({ database, args }) {
      const { values } = parseArgs({ args, options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } } });
      if (!values.email || !values.password) throw new UsageError('create-admin needs --email and --password.');
      const user = await createAdminFromCli((await database()).db, { email: values.email, password: values.password, displayName: values.name });
      console.log(`Created DOIT account ${user.email}.`);
    },
  },
  'disable-account': {
    summary: 'Disable an account and end its sessions.',
    usage: '--email E',
    async run({ database, args }) {
      const { values } = parseArgs({ args, options: { email: { type: 'string' } } });
      if (!values.email) throw new UsageError('disable-account needs --email.');
      const user = await disableAccountFromCli((await database()).db, values.email);
      console.log(`Disabled ${user.email}; its sessions have ended.`);
    },
  },
  'list-accounts': {
    summary: 'List every account with its role, agency and state.',
    async run({ database }) {
      const rows = await listUsers((await database()).db);
      for (const { user, agency } of rows) {
        const state = user.disabledAt ? 'disabled' : user.mustChangePassword ? 'must change password' : 'enabled';
        console.log([user.email.padEnd(40), user.role.padEnd(8), (agency?.name ?? 'DOIT').padEnd(45), state].join(' '));
      }
      if (rows.length === 0) console.log('No accounts yet. Create the first with: npm run cli -- create-admin --email E --password P');
    },
  },
  reindex: {
    summary: 'Rebuild the search index (PostgreSQL, and Meilisearch when MEILI_URL is set) from the database.',
    async run({ config, database }) {
      const handle = await database();
      const postgres = createPostgresEngine(handle.db);
      const engines = config.MEILI_URL ? [postgres, createMeiliEngine(config.MEILI_URL, config.MEILI_MASTER_KEY ?? '')] : [postgres];
      const count = await createSearchIndexer(handle.db, engines, { info() {}, warn: (details, message) => console.warn(message, details) }).reindexAll();
      console.log(`Indexed ${count} published datasets in ${engines.map((engine) => engine.name).join(' and ')}.`);
    },
  },
  'verify-integrity': {
    summary: 'Recompute the SHA-256 of every stored file, report changed or missing files (also in the audit log); exit 1 if any.',
    async run({ config, database }) {
      const report = await verifyIntegrity((await database()).db, await storageOf(config));
      for (const problem of report.problems) {
        const detail = problem.kind === 'missing' ? 'file missing' : `expected ${problem.expected}, found ${problem.actual}`;
        console.log(`${problem.kind.toUpperCase().padEnd(8)} ${problem.key}: ${detail} (resources ${problem.resourceIds.join(', ')})`);
      }
      console.log(`Checked ${report.checked} stored files: ${report.problems.length} problem(s)${report.recorded ? `, ${report.recorded} hash(es) recorded for the first time` : ''}.`);
      return report.problems.length > 0 ? 1 : 0;
    },
  },
  backup: {
    summary: 'Write the database (PGlite data directory or pg_dump) and every stored file, with their hashes, into an empty directory.',
    usage: 'DIR',
    async run({ config, database, args }) {
      const [directory] = args.filter((arg) => !arg.startsWith('-'));
      if (!directory) throw new UsageError('backup needs a directory: npm run cli -- backup DIR');
      const manifest = await backup(await database(), await storageOf(config), path.resolve(directory));
      console.log(`Backed up the ${manifest.driver} database (${manifest.database}) and ${manifest.files.length} files into ${path.resolve(directory)}.`);
      if (manifest.missing.length > 0) console.log(`${manifest.missing.length} file(s) named by the database were already missing: ${manifest.missing.join(', ')}`);
      return manifest.missing.length > 0 ? 1 : 0;
    },
  },
  restore: {
    summary: 'Load a backup into a new database (DATABASE_URL, or an empty DATA_DIR) and storage, then verify every file.',
    usage: 'DIR',
    async run({ config, database, args }) {
      const [directory] = args.filter((arg) => !arg.startsWith('-'));
      if (!directory) throw new UsageError('restore needs a directory: npm run cli -- restore DIR');
      const storage = await storageOf(config);
      const manifest = await restore(config, storage, path.resolve(directory));
      // Opening migrates a backup taken by an older release; then every file is checked against the rows.
      const report = await verifyIntegrity((await database()).db, storage);
      console.log(`Restored the ${manifest.driver} database and ${manifest.files.length} files; ${report.checked} files checked, ${report.problems.length} problem(s).`);
      return report.problems.length > 0 ? 1 : 0;
    },
  },
  'import-catalogue': {
    summary: "Import a year's open data catalogue from a CSV or XLSX file (Appendix II layout) into that year's draft.",
    usage: '--year Y FILE [--decision "1542/QĐ-UBND" --decision-date YYYY-MM-DD --signer "Name"]',
    async run({ database, args }) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { year: { type: 'string' }, decision: { type: 'string' }, 'decision-date': { type: 'string' }, signer: { type: 'string' } },
      });
      const year = Number(values.year);
      const [file] = positionals;
      if (!Number.isInteger(year) || year < 2000 || year > 2200 || !file) throw new UsageError('import-catalogue needs --year Y (2000–2200) and a file.');
      const approving = [values.decision, values['decision-date'], values.signer];
      if (approving.some(Boolean) && !approving.every(Boolean)) throw new UsageError('Approving needs --decision, --decision-date and --signer together.');
      const approve = values.decision && values['decision-date'] && values.signer ? { decisionNumber: values.decision, decisionDate: values['decision-date'], signer: values.signer } : undefined;
      const bytes = await readFile(file);
      const handle = await database();
      try {
        const { catalogue, count } = await importCatalogueForYear(handle.db, { year, fileName: path.basename(file), bytes, approve });
        console.log(`Imported ${count} entries into the ${catalogue.status} catalogue of ${year}.`);
      } catch (error) {
        if (!(error instanceof CatalogueImportError)) throw error;
        const t = translator('en');
        for (const problem of error.problems) {
          console.error(`row ${problem.row || '-'}${problem.column ? `, column "${problem.column}"` : ''}: ${t(problem.key, problem.params)}`);
        }
        throw new UsageError(`Nothing was imported: the file has ${error.problems.length} problems.`);
      }
    },
  },
  'sweep-orphans': {
    summary: 'Delete stored upload files that no resource refers to and that are older than the grace period (6 hours).',
    async run({ config, database }) {
      const handle = await database();
      const storage = await storageOf(config);
      const removed = await sweepOrphanFiles(handle.db, storage, { info: (details) => console.log('removed', (details as { key: string }).key) });
      console.log(`Removed ${removed.length} orphan file(s).`);
    },
  },
  config: {
    summary: 'List the environment variables the portal reads, with their defaults.',
    async run() {
      for (const variable of describeConfig()) {
        console.log(`${variable.name.padEnd(18)} ${variable.defaultValue.padEnd(12)} ${variable.description}`);
      }
    },
  },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return ['Usage: npm run cli -- <command> [options]', '', 'Commands:', ...lines, '', 'Configuration comes from the environment (see `npm run cli -- config`).'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { help: { type: 'boolean', short: 'h' } } });
  const [name] = positionals;
  if (!name || name === 'help' || (values.help && !name)) {
    console.log(help());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  if (values.help) {
    console.log(`${name}: ${command.summary}${command.usage ? `\nUsage: npm run cli -- ${name} ${command.usage}` : ''}`);
    return 0;
  }
  const config = loadConfig();
  let handle: DatabaseHandle | undefined;
  try {
    const code = await command.run({
      config,
      args: argv.slice(argv.indexOf(name) + 1),
      async database() {
        handle ??= await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, inThread: config.PGLITE_THREAD === 'on' });
        await runMigrations(handle);
        return handle;
      },
    });
    return typeof code === 'number' ? code : 0;
  } finally {
    await handle?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exit(2);
    }
    // Refusals from services carry a translation key: say them as the back office would, in English.
    if (error instanceof AppError) console.error(translator('en')(error.messageKey, error.params));
    else {
      const expected = error instanceof ConfigError || error instanceof EmbeddedDatabaseBusyError || error instanceof DatabaseNotEmptyError || error instanceof BackupError;
      console.error(expected ? error.message : error);
    }
    process.exit(1);
  },
);
