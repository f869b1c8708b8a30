// Writes a .br and a .gz copy next to every stylesheet and script in public/, which @fastify/static
// serves to browsers that accept them (preCompressed): the stylesheet goes out at a fifth of its size.
// Run after changing public/ (`npm run compress-assets`); a test fails when a copy is out of date.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const publicDir = fileURLToPath(new URL('../public', import.meta.url));

export async function compressibleAssets(dir = publicDir): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await compressibleAssets(full)));
    else if (/\.(css|js|svg)$/.test(entry.name)) found.push(full);
  }
  return found;
}

export const brotli = (content: Buffer) => brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const file of await compressibleAssets()) {
    const content = await readFile(file);
    await writeFile(`${file}.br`, brotli(content));
    await writeFile(`${file}.gz`, gzipSync(content, { level: 9 }));
    console.log(path.relative(publicDir, file));
  }
}
