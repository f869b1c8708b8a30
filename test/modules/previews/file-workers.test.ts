import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { runFileJob } from '../../../src/modules/previews/file-jobs.ts';
import { createWorkerPool, JobStoppedError } from '../../../src/modules/tabular/worker-pool.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildDataset } from '../../helpers/factories.ts';
import { sharedStringsBomb } from '../tabular/xlsx-bombs.ts';

// Issue 10: inspection, previews and conversions of uploaded files run in worker threads, with a
// time limit and a heap cap, and stop when their client goes away.

const workerEntry = new URL('../../../src/modules/previews/file-jobs.worker.ts', import.meta.url);

/** A wide CSV of a few MB: converting it to JSON takes seconds of CPU. */
function largeCsv(rows: number, columns = 30_000): Buffer {
  const header = Array(columns).fill('name').join(',');
  const row = Array.from({ length: columns }, (_, i) => String(i)).join(',');
  return Buffer.from(`${header}\n${`${row}\n`.repeat(rows)}`);
}

async function tempFile(t: { after: (fn: () => Promise<void>) => void }, name: string, content: Buffer) {
  const dir = await mkdtemp(join(tmpdir(), 'file-workers-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

test('/healthz answers while a conversion of a large file is running', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const built = await buildDataset(db, storage, { files: [{ fileName: 'lon.csv', content: largeCsv(20) }] });
  const finished: string[] = [];
  const conversion = app
    .inject({ method: 'GET', url: `/dataset/${built.dataset.slug}/resource/${built.resources[0].id}/convert/json` })
    .then((response) => {
      finished.push('conversion');
      return response;
    });
  // Let the conversion reach its worker before asking.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  finished.push('healthz');
  assert.equal(health.statusCode, 200);
  const converted = await conversion;
  assert.deepEqual(finished, ['healthz', 'conversion']);
  assert.equal(converted.statusCode, 200);
  assert.equal((JSON.parse(converted.body) as unknown[]).length, 20, 'the conversion still completes');
});

test('a conversion stops when its client goes away', async (t) => {
  const path = await tempFile(t, 'lon.csv', largeCsv(200));
  const output = new PassThrough();
  const job = runFileJob('convert', { source: { kind: 'csv', options: {} }, format: 'xml' }, { open: async () => createReadStream(path), output });
  output.once('data', () => output.destroy()); // the client read a little and left
  await assert.rejects(job, (error: unknown) => error instanceof JobStoppedError && error.reason === 'aborted');
});

test('a file job past its time limit is stopped and its worker replaced', async (t) => {
  const path = await tempFile(t, 'lon.csv', largeCsv(200));
  const pool = createWorkerPool({ entry: workerEntry, maxWorkers: 1, maxHeapMb: 256 });
  t.after(() => pool.close());
  const output = new PassThrough();
  output.resume();
  const slow = pool.run('convert', { source: { kind: 'csv', options: {} }, format: 'json' }, { open: async () => createReadStream(path), output, timeLimitMs: 300 });
  await assert.rejects(slow, (error: unknown) => error instanceof JobStoppedError && error.reason === 'timeout');
  const quick = await pool.run('previewTable', { source: { kind: 'csv', options: {} }, rows: 1 }, { open: async () => createReadStream(path), timeLimitMs: 60_000 });
  assert.equal((quick as { columnCount: number }).columnCount, 30_000, 'the next job runs on a new worker');
});

test('a workbook that exhausts a worker heap fails its job, not the process', async (t) => {
  const path = await tempFile(t, 'bom.xlsx', sharedStringsBomb(1_500_000));
  const pool = createWorkerPool({ entry: workerEntry, maxWorkers: 1, maxHeapMb: 32 });
  t.after(() => pool.close());
  // The bomb checks are lifted to let exceljs cache every string.
  const limits = { maxSharedStrings: 1e9, maxCompressionRatio: 1e9, maxCells: 1e9 };
  const job = pool.run('inspect', { format: 'XLSX', stagedPath: path, normalisedPath: `${path}.utf8`, limits }, { timeLimitMs: 120_000 });
  await assert.rejects(job, (error: unknown) => error instanceof JobStoppedError && error.reason === 'memory');
});
