import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { catalogueKeys } from '../../src/i18n/i18n.ts';
import { rolePermissions } from '../../src/modules/accounts/permissions.ts';

const root = new URL('../../', import.meta.url).pathname;

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, extension) : full.endsWith(extension) ? [full] : [];
  });
}

test('the Vietnamese and English catalogues have the same keys', () => {
  const vi = catalogueKeys('vi');
  const en = catalogueKeys('en');
  assert.deepEqual(vi.filter((key) => !en.includes(key)), [], 'keys missing in English');
  assert.deepEqual(en.filter((key) => !vi.includes(key)), [], 'keys missing in Vietnamese');
});

test('every literal translation key used in code and templates exists', () => {
  const known = new Set(catalogueKeys('vi'));
  const sources = [...filesUnder(path.join(root, 'src'), '.ts'), ...filesUnder(path.join(root, 'views'), '.eta')];
  const missing: string[] = [];
  // t('a.b'), flash('a.b'), fieldError('f', 'a.b'), { error: 'a.b' } … : any quoted "domain.key" naming a known domain.
  // Permission names and audit actions look like keys but are not: leave them out, and comments too.
  const domains = new Set([...known].map((key) => key.split('.')[0]));
  const notKeys = new Set<string>(Object.values(rolePermissions).flat());
  for (const file of sources) {
    const lines = readFileSync(file, 'utf8').split('\n').filter((line) => !/^\s*(\/\/|\*|\/\*\*)/.test(line) && !/action: ['"]/.test(line));
    for (const match of lines.join('\n').matchAll(/['"`]([a-z_]+)\.([a-z_]+)['"`]/g)) {
      const key = `${match[1]}.${match[2]}`;
      if (domains.has(match[1]) && !known.has(key) && !notKeys.has(key) && !key.endsWith('_')) missing.push(`${path.relative(root, file)}: ${key}`);
    }
  }
  assert.deepEqual(missing, []);
});
