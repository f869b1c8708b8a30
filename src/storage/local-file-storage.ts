import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileStorage, StoredFile } from './file-storage.ts';
import { meterUpload } from './metered-stream.ts';

/** Files under one directory; keys are relative paths such as "resources/ab/abcd…/data.csv". */
export class LocalFileStorage implements FileStorage {
  private readonly tempDir: string;

  constructor(private readonly root: string) {
    this.tempDir = path.join(root, '.tmp');
  }

  private resolve(key: string): string {
    // A key comes from our own code, but never let one name a folder or escape the storage root:
    // `a/..` resolves inside the root yet is a directory, and `a/.. ` is `a/..` on some file systems.
    const segments = key.split('/');
    if (segments.some((segment) => segment === '' || /^\.\.?$|[\s.]$|[\\\p{Cc}]/u.test(segment))) throw new Error(`invalid storage key: ${key}`);
    const target = path.resolve(this.root, key);
    if (!target.startsWith(this.root + path.sep)) throw new Error(`invalid storage key: ${key}`);
    return target;
  }

  async put(key: string, source: Readable | Buffer | string, options: { maxBytes?: number } = {}): Promise<StoredFile> {
    const target = this.resolve(key);
    await mkdir(this.tempDir, { recursive: true });
    await mkdir(path.dirname(target), { recursive: true });
    const temp = path.join(this.tempDir, `${randomUUID()}.part`);
    const { input, meter, result } = meterUpload(source, options.maxBytes);
    try {
      await pipeline(input, meter, createWriteStream(temp, { flags: 'wx' }));
      // rename is atomic within one file system: the file appears whole or not at all.
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { key, ...result() };
  }

  async open(key: string) {
    const file = this.resolve(key);
    try {
      const info = await stat(file);
      if (!info.isFile()) return null;
      return { stream: createReadStream(file), sizeBytes: info.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async exists(key: string) {
    return stat(this.resolve(key)).then(
      (info) => info.isFile(),
      () => false,
    );
  }

  async delete(key: string) {
    await rm(this.resolve(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<{ key: string; modifiedAt: Date }> {
    const start = path.join(this.root, prefix);
    if (!start.startsWith(this.root + path.sep)) throw new Error(`invalid storage prefix: ${prefix}`);
    const pending = [start];
    while (pending.length > 0) {
      const dir = pending.pop() as string;
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (full === this.tempDir) continue;
        if (entry.isDirectory()) pending.push(full);
        else if (entry.isFile()) {
          const info = await stat(full).catch(() => null);
          if (info) yield { key: path.relative(this.root, full).split(path.sep).join('/'), modifiedAt: info.mtime };
        }
      }
    }
  }

  async sweepTemporary() {
    const entries = await readdir(this.tempDir).catch(() => [] as string[]);
    await Promise.all(entries.map((name) => rm(path.join(this.tempDir, name), { force: true })));
    return entries.length;
  }
}
