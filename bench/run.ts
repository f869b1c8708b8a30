/**
 * `npm run bench`: lists the benchmarks of this folder and runs those that need nothing but this
 * checkout (no PostgreSQL server, no build, no Meilisearch), one after the other, each in a process of
 * its own so one's heap does not weigh on the next. Every bench prints its figures against a baseline
 * measured in the same run (see bench/README.md).
 *
 *   npm run bench                  the self-contained benches
 *   npm run bench -- --list        what there is and what each needs, without running anything
 *   npm run bench -- datastore …   one bench by name; arguments after the name are passed on
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Bench {
  name: string;
  measures: string;
  /** What it needs besides this checkout; empty: `npm run bench` runs it. */
  needs: string[];
  /** Arguments for the default run: small enough for a shared machine, large enough to mean something. */
  defaultArgs: string[];
}

const benches: Bench[] = [
  { name: 'hostile-files', measures: 'hostile CSV/XLSX files vs ordinary ones through the readers (ms, peak RSS)', needs: [], defaultArgs: [] },
  { name: 'upload-memory', measures: 'peak RSS of a large upload vs bare Fastify piping to /dev/null', needs: [], defaultArgs: ['50'] },
  {
    name: 'discovery',
    measures: 'public pages and search at catalogue scale vs a hello-world Fastify (req/s, p99)',
    needs: ['several minutes per size on a quiet machine'],
    defaultArgs: ['--sizes', '10000'],
  },
  { name: 'datastore', measures: 'DataStore loading vs psql \\copy, Records API p50/p95', needs: ['a PostgreSQL server (BENCH_DATABASE_URL)', 'psql'], defaultArgs: [] },
  { name: 'startup', measures: 'start time and idle RSS, tsx vs dist/ vs a bare node server', needs: ['npm run build (dist/)'], defaultArgs: [] },
];

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function list() {
  for (const bench of benches) {
    const needs = bench.needs.length > 0 ? `needs ${bench.needs.join(', ')}` : 'runs with npm run bench';
    console.log(`${bench.name.padEnd(14)} ${bench.measures}\n${''.padEnd(14)} (${needs})`);
  }
}

function run(bench: Bench, args: string[]): boolean {
  const script = here(`./${bench.name}.ts`);
  if (!existsSync(script)) throw new Error(`bench/run.ts lists ${bench.name}, but ${script} is missing`);
  console.log(`\n=== ${bench.name} ${args.join(' ')}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { stdio: 'inherit' });
  if (result.status !== 0) console.error(`${bench.name} failed (exit ${result.status ?? result.signal})`);
  return result.status === 0;
}

const [first, ...rest] = process.argv.slice(2);
if (first === '--list') {
  list();
} else if (first) {
  const bench = benches.find((item) => item.name === first);
  if (!bench) {
    console.error(`No bench named ${first}. These exist:`);
    list();
    process.exit(2);
  }
  process.exit(run(bench, rest.length > 0 ? rest : bench.defaultArgs) ? 0 : 1);
} else {
  list();
  const failed = benches.filter((bench) => bench.needs.length === 0).filter((bench) => !run(bench, bench.defaultArgs));
  process.exit(failed.length === 0 ? 0 : 1);
}
