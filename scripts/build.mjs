// Production build: type-check and emit src/ as JavaScript into dist/ (tsconfig.build.json), then copy
// the data files modules read next to themselves (the demo catalogue CSV). Views, locales, public and
// migrations stay at the repository root: dist/ sits at the same depth as src/, so their paths hold.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

let copied = 0;
function copyAssets(directory) {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const source = path.join(directory, entry.name);
    if (entry.isDirectory()) copyAssets(source);
    else if (!entry.name.endsWith('.ts')) {
      cpSync(source, path.join(root, 'dist', path.relative(path.join(root, 'src'), source)));
      copied++;
    }
  }
}
copyAssets(path.join(root, 'src'));
console.log(`built dist/ (${copied} data file${copied === 1 ? '' : 's'} copied)`);
