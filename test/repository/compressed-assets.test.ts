import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { compressibleAssets } from '../../scripts/compress-assets.ts';

// The browser gets portal.css.br when it accepts Brotli: a copy older than portal.css would serve an
// old stylesheet. Run `npm run compress-assets` after changing public/.
test('every compressed copy of a public stylesheet or script matches the file it was made from', async () => {
  const stale: string[] = [];
  for (const file of await compressibleAssets()) {
    const content = await readFile(file);
    const br = await readFile(`${file}.br`).catch(() => null);
    const gz = await readFile(`${file}.gz`).catch(() => null);
    if (!br || !brotliDecompressSync(br).equals(content)) stale.push(`${file}.br`);
    if (!gz || !gunzipSync(gz).equals(content)) stale.push(`${file}.gz`);
  }
  assert.deepEqual(stale, [], 'run `npm run compress-assets`');
});
