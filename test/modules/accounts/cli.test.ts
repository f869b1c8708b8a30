import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import { Agent } from '../../helpers/agent.ts';

/*
 * Operator commands (issue 3, Build 8): the first DOIT account of a new deployment, listing and
 * disabling accounts from the server's shell. Each spawn opens an embedded database in its own
 * DATA_DIR; DATABASE_URL is never inherited, so a developer's database is never touched.
 */

const cliPath = new URL('../../../src/cli.ts', import.meta.url).pathname;

function cli(args: string[], dataDir: string) {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', cliPath, ...args], {
    env: { ...inherited, LOG_LEVEL: 'silent', DATA_DIR: dataDir, SEED_DEMO: 'never' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

async function tempDataDir(t: { after(fn: () => Promise<void>): void }) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cli-accounts-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  return dataDir;
}

/** Opens the portal on the embedded database the CLI wrote, to check what it did through HTTP. */
async function withPortal<T>(dataDir: string, run: (agent: Agent) => Promise<T>): Promise<T> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, SEED_DEMO: 'never' });
  const app = await buildApp({ config });
  try {
    return await run(new Agent(app));
  } finally {
    await app.close();
  }
}

test('create-admin refuses a weak password or a missing option and creates nothing', async (t) => {
  const dataDir = await tempDataDir(t);
  const weak = cli(['create-admin', '--email', 'quan-tri@stttt.binhdinh.gov.vn', '--password', 'password1234'], dataDir);
  assert.equal(weak.status, 1, weak.stderr);
  assert.match(weak.stderr, /common|phổ biến/i);
  const missing = cli(['create-admin', '--email', 'quan-tri@stttt.binhdinh.gov.vn'], dataDir);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--password/);
  const list = cli(['list-accounts'], dataDir);
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /No accounts yet/);
});

test('create-admin creates a DOIT account that signs in without a forced change; list-accounts shows it; disable-account ends it', async (t) => {
  const dataDir = await tempDataDir(t);
  const password = 'Cổng-dữ-liệu-mở-Bình-Định-2025';
  const created = cli(['create-admin', '--email', 'Quan-Tri@STTTT.binhdinh.gov.vn', '--password', password, '--name', 'Nguyễn Quản Trị'], dataDir);
  assert.equal(created.status, 0, created.stderr);
  assert.match(created.stdout, /Created DOIT account quan-tri@stttt\.binhdinh\.gov\.vn/);

  const again = cli(['create-admin', '--email', 'quan-tri@stttt.binhdinh.gov.vn', '--password', password], dataDir);
  assert.equal(again.status, 1, 'the same e-mail twice');
  assert.match(again.stderr, /already|đã được dùng/i);

  const list = cli(['list-accounts'], dataDir);
  assert.equal(list.status, 0, list.stderr);
  const line = list.stdout.split('\n').find((row) => row.startsWith('quan-tri@stttt.binhdinh.gov.vn'));
  assert.ok(line, list.stdout);
  assert.match(line, /\badmin\b/);
  assert.match(line, /DOIT/);
  assert.match(line, /enabled$/);

  await withPortal(dataDir, async (agent) => {
    const signIn = await agent.post('/login', { email: 'quan-tri@stttt.binhdinh.gov.vn', password });
    assert.equal(signIn.statusCode, 302);
    assert.equal(signIn.headers.location, '/admin', 'the operator chose this password: no forced change');
    const settings = await agent.get('/admin/settings');
    assert.equal(settings.statusCode, 200, 'the new account has DOIT rights');
  });

  const disabled = cli(['disable-account', '--email', 'quan-tri@stttt.binhdinh.gov.vn'], dataDir);
  assert.equal(disabled.status, 0, disabled.stderr);
  assert.match(disabled.stdout, /Disabled quan-tri@stttt\.binhdinh\.gov\.vn/);
  assert.match(cli(['list-accounts'], dataDir).stdout, /quan-tri@stttt\.binhdinh\.gov\.vn.*disabled/);

  await withPortal(dataDir, async (agent) => {
    assert.equal((await agent.post('/login', { email: 'quan-tri@stttt.binhdinh.gov.vn', password })).statusCode, 401);
  });

  const unknown = cli(['disable-account', '--email', 'khong-co@example.gov.vn'], dataDir);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /could not find|not found|Không tìm thấy/i);
});

test('create-admin refuses an e-mail that is not an address', async (t) => {
  const dataDir = await tempDataDir(t);
  const result = cli(['create-admin', '--email', 'quan tri', '--password', 'Cổng-dữ-liệu-mở-Bình-Định-2025'], dataDir);
  assert.notEqual(result.status, 0, 'an account was created for "quan tri"');
});
