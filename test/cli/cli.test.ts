import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { acquireEmbeddedLock } from '../../src/db/embedded-lock.ts';

const cliPath = new URL('../../src/cli.ts', import.meta.url).pathname;

function cli(args: string[], env: Record<string, string>) {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', cliPath, ...args], {
    env: { ...inherited, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

test('cli --help lists the commands', () => {
  const result = cli(['--help'], {});
  assert.equal(result.status, 0);
  assert.match(result.stdout, /migrate/);
  assert.match(result.stdout, /seed-demo/);
});

test('an unknown command is refused with the list of commands', () => {
  const result = cli(['explode'], {});
  assert.equal(result.status, 2);
  assert.match(result.stderr, /Unknown command "explode"/);
});

test('a command run while another process holds the embedded database says so and changes nothing', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cli-lock-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  // The parent of this test stands in for the running server: a live pid holds the lock.
  const lock = acquireEmbeddedLock(dataDir);
  t.after(() => lock.release());
  const result = cli(['migrate'], { DATA_DIR: dataDir });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /open in another process \(pid \d+\)/);
});

test('a lock left by a crashed process is taken over', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cli-stale-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path.join(dataDir, 'pglite.lock'), '999999');
  const lock = acquireEmbeddedLock(dataDir);
  lock.release();
});

test('an invalid configuration stops the cli with one line naming the variable', () => {
  const result = cli(['migrate'], { PORT: 'abc' });
  assert.equal(result.status, 1);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /PORT/);
});

test('finding 8: sweep-orphans deletes an old stored file that no resource refers to, and says how many', async (t) => {
  const { mkdir, utimes, writeFile, stat } = await import('node:fs/promises');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cli-orphans-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const orphan = path.join(dataDir, 'files', 'resources', 'd', '00000000-0000-4000-8000-000000000009', 'data.csv');
  await mkdir(path.dirname(orphan), { recursive: true });
  await writeFile(orphan, 'a,b\n');
  const old = new Date(Date.now() - 7 * 3_600_000);
  await utimes(orphan, old, old);
  const result = cli(['sweep-orphans'], { DATA_DIR: dataDir, SEED_DEMO: 'never' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /Removed 1 orphan file\(s\)\./);
  await assert.rejects(stat(orphan));
});
