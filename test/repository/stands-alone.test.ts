import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

// A clone into an empty folder must pass `npm test`: nothing the project runs may reach outside it.
test('no tracked source, test or script reads a folder beside the repository', () => {
  const files = execFileSync('git', ['ls-files', 'src', 'test', 'bench', '.ci', 'package.json', 'drizzle.config.ts'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((file) => /\.(ts|js|json|sh)$|\/run$/.test(file) && file !== 'test/repository/stands-alone.test.ts');
  assert.ok(files.length > 50, 'the scan sees the project');
  const offenders = files.filter((file) => /\.\.\/shared\/|\/work\/shared/.test(readFileSync(`${root}${file}`, 'utf8')));
  assert.deepEqual(offenders, []);
});
