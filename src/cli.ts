import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, type Config, describeConfig, loadConfig } from './config.ts';
import { type DatabaseHandle, openDatabase } from './db/client.ts';
import { EmbeddedDatabaseBusyError } from './db/embedded-lock.ts';
import { runMigrations } from './db/migrate.ts';
import { DatabaseNotEmptyError, seedDemo } from './modules/demo/seed-demo.ts';
import { LocalFileStorage } from './storage/local-file-storage.ts';

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
  run(context: CommandContext): Promise<void>;
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
      const summary = await seedDemo({ database: handle, storage: new LocalFileStorage(path.join(config.dataDir, 'files')) });
      console.log(`Loaded ${summary.topics} topic groups, ${summary.agencies} agencies and ${summary.datasets} datasets.`);
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
    await command.run({
      config,
      args: argv.slice(argv.indexOf(name) + 1),
      async database() {
        handle ??= await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
        await runMigrations(handle);
        return handle;
      },
    });
    return 0;
  } finally {
    await handle?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    const expected = error instanceof ConfigError || error instanceof EmbeddedDatabaseBusyError || error instanceof DatabaseNotEmptyError;
    console.error(expected ? error.message : error);
    process.exit(1);
  },
);
