// Finds every *.test.ts under test/ and hands them to node's test runner (Node 20 has no --test glob).
// Extra arguments narrow the run: `npm test -- test/modules/public` or a file path.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function findTests(entry: string): string[] {
  if (statSync(entry).isFile()) return entry.endsWith('.test.ts') ? [entry] : [];
  return readdirSync(entry, { withFileTypes: true }).flatMap((item) =>
    item.name === 'node_modules' ? [] : findTests(path.join(entry, item.name)),
  );
}

/**
 * Seconds each file took in a recorded run (test/file-durations.json, written by
 * `TEST_DURATIONS=test/file-durations.json npm test`). The runner starts files in the order given, so
 * the slowest go first: in name order a long file starting last kept the run going alone for minutes.
 * A file with no record (a new one) counts as slow, so that it starts early too.
 */
function byRecordedDuration(files: string[]): string[] {
  const recorded = path.join('test', 'file-durations.json');
  if (!existsSync(recorded)) return files;
  const seconds = JSON.parse(readFileSync(recorded, 'utf8')) as Record<string, number>;
  const of = (file: string) => seconds[path.normalize(file)] ?? Number.POSITIVE_INFINITY;
  return [...files].sort((a, b) => of(b) - of(a) || a.localeCompare(b));
}

const targets = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('-'));
const files = byRecordedDuration((targets.length > 0 ? targets : ['test']).flatMap(findTests).sort());
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}
// TEST_DURATIONS=file: the usual report on the terminal, and each file's seconds written to that file.
const durations = process.env.TEST_DURATIONS
  ? ['--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=./test/helpers/file-durations-reporter.mjs', `--test-reporter-destination=${process.env.TEST_DURATIONS}`]
  : [];
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...durations, ...flags, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
