import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConfigError, describeConfig, loadConfig } from '../../src/config.ts';

test('an empty environment gives the embedded defaults', () => {
  const config = loadConfig({});
  assert.equal(config.PORT, 3000);
  assert.equal(config.DATABASE_URL, undefined);
  assert.equal(config.MEILI_URL, undefined);
  assert.equal(config.DEFAULT_LOCALE, 'vi');
  assert.ok(config.dataDir.endsWith('data'));
});

test('an invalid port stops start-up with one line naming the variable', () => {
  assert.throws(
    () => loadConfig({ PORT: 'tám mươi' }),
    (error: unknown) => error instanceof ConfigError && /PORT/.test(error.message) && !error.message.includes('\n'),
  );
});

test('a database URL that is not PostgreSQL is refused', () => {
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://localhost/portal' }), /DATABASE_URL must start with postgres/);
});

test('Meilisearch needs its key', () => {
  assert.throws(() => loadConfig({ MEILI_URL: 'http://127.0.0.1:7700' }), /MEILI_MASTER_KEY is required/);
  assert.equal(loadConfig({ MEILI_URL: 'http://127.0.0.1:7700', MEILI_MASTER_KEY: 'k' }).MEILI_URL, 'http://127.0.0.1:7700');
});

test('an unknown locale is refused', () => {
  assert.throws(() => loadConfig({ DEFAULT_LOCALE: 'fr' }), /DEFAULT_LOCALE/);
});

test('every variable has a description and appears in the README configuration table', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const variable of describeConfig()) {
    assert.ok(variable.description.length > 10, `${variable.name} needs a description`);
    assert.match(readme, new RegExp(`\\| \`${variable.name}\` \\|`), `${variable.name} is missing from README.md`);
  }
});

test('TRUST_PROXY is off by default and accepts a hop count or addresses', () => {
  assert.equal(loadConfig({}).trustProxy, false);
  const hops = loadConfig({ TRUST_PROXY: '1' }).trustProxy as (address: string, hop: number) => boolean;
  assert.equal(hops('10.0.0.1', 0), true);
  assert.equal(hops('10.0.0.1', 1), false);
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.0.0.0/8' }).trustProxy, ['10.0.0.1', '10.0.0.0/8']);
});

test('finding 4: BASE_URL is required when NODE_ENV=production, with a sentence naming it', () => {
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production' }),
    (error: unknown) => error instanceof ConfigError && /BASE_URL is required when NODE_ENV=production/.test(error.message),
  );
  assert.equal(loadConfig({ NODE_ENV: 'production', BASE_URL: 'https://data.binhdinh.example' }).BASE_URL, 'https://data.binhdinh.example');
  assert.equal(loadConfig({ NODE_ENV: 'development' }).BASE_URL, undefined, 'development may go without');
});
