// Finds every *.test.ts under test/ and hands them to node's test runner (Node 20 has no --test glob).
// Extra arguments narrow the run: `npm test -- test/modules/public` or a file path.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function findTests(entry: string): string[] {
  if (statSync(entry).isFile()) return entry.endsWith('.test.ts') ? [entry] : [];
  return readdirSync(entry, { withFileTypes: true }).flatMap((item) =>
    item.name === 'node_modules' ? [] : findTests(path.join(entry, item.name)),
  );
}

const targets = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('-'));
const files = (targets.length > 0 ? targets : ['test']).flatMap(findTests).sort();
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...flags, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
