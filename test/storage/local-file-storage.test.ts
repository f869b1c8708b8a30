import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { FileTooLargeError } from '../../src/storage/file-storage.ts';
import { LocalFileStorage } from '../../src/storage/local-file-storage.ts';

async function tempStorage(t: import('node:test').TestContext) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'storage-test-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  return { root, storage: new LocalFileStorage(root) };
}

test('a stored file reports its size and SHA-256 and reads back the same bytes', async (t) => {
  const { storage } = await tempStorage(t);
  const content = 'tên,giá trị\nA,1\n';
  const stored = await storage.put('a/b.csv', Readable.from([Buffer.from(content)]));
  assert.equal(stored.sizeBytes, Buffer.byteLength(content));
  assert.equal(stored.sha256, createHash('sha256').update(content).digest('hex'));
  const opened = await storage.open('a/b.csv');
  assert.ok(opened);
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
  assert.equal(Buffer.concat(chunks).toString(), content);
});

test('a write that fails half-way leaves no file and no temporary file behind', async (t) => {
  const { root, storage } = await tempStorage(t);
  async function* failing() {
    yield Buffer.from('first part,');
    throw new Error('connection lost');
  }
  await assert.rejects(storage.put('x/data.csv', Readable.from(failing())), /connection lost/);
  assert.equal(await storage.exists('x/data.csv'), false);
  assert.deepEqual(await readdir(path.join(root, '.tmp')), []);
});

test('a file over the size limit is refused and not kept', async (t) => {
  const { storage } = await tempStorage(t);
  await assert.rejects(storage.put('big.bin', Buffer.alloc(2048), { maxBytes: 1024 }), FileTooLargeError);
  assert.equal(await storage.exists('big.bin'), false);
});

test('temporary files left by a crash are swept', async (t) => {
  const { root, storage } = await tempStorage(t);
  await mkdir(path.join(root, '.tmp'), { recursive: true });
  await writeFile(path.join(root, '.tmp', 'left-over.part'), 'half');
  assert.equal(await storage.sweepTemporary(), 1);
  assert.deepEqual(await readdir(path.join(root, '.tmp')), []);
});

test('a key cannot escape the storage directory', async (t) => {
  const { storage } = await tempStorage(t);
  await assert.rejects(storage.put('../outside.txt', 'x'), /invalid storage key/);
});

test('a missing file opens as null, not an exception', async (t) => {
  const { storage } = await tempStorage(t);
  assert.equal(await storage.open('nothing/here.csv'), null);
});
