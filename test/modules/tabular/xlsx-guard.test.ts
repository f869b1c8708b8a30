import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { inspectCsv } from '../../../src/modules/tabular/csv-inspect.ts';
import { inspectStagedFile } from '../../../src/modules/tabular/inspect-file.ts';
import { defaultTableLimits, TableLimitError } from '../../../src/modules/tabular/table-limits.ts';
import { guardXlsx } from '../../../src/modules/tabular/xlsx-guard.ts';
import { ratioBomb, sharedStringsBomb, wideWorkbook, workbook, zip } from './xlsx-bombs.ts';

// Issue 10, finding 2: XLSX bombs and very wide tables. Each is refused before exceljs builds what
// it describes, with a code the upload turns into a sentence, and memory stays bounded.

/** RSS sampled while `work` runs: the largest growth over the value before it, in MB. */
async function peakRssGrowthMb<T>(work: () => Promise<T>): Promise<{ result: T | Error; growthMb: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const result = await work().catch((error: Error) => error);
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMb: (peak - before) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

async function tempFile(t: { after: (fn: () => Promise<void>) => void }, name: string, content: Buffer) {
  const dir = await mkdtemp(join(tmpdir(), 'xlsx-guard-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

function assertLimit(error: unknown, code: string) {
  assert.ok(error instanceof TableLimitError, `refused with a TableLimitError, got ${String(error)}`);
  assert.equal(error.code, code);
}

test('a workbook written by Excel tooling passes the bomb checks with its strings and cells counted', async (t) => {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Dân số');
  sheet.addRow(['Huyện', 'Dân số']);
  sheet.addRow(['Quy Nhơn', 290000]);
  sheet.addRow(['An Nhơn', 180000]);
  const path = await tempFile(t, 'dan-so.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
  const counts = await guardXlsx(path);
  assert.equal(counts.cells, 6);
  assert.equal(counts.sharedStrings, 4);
});

test('an XLSX with 1.5 million shared strings is refused before exceljs caches them, memory staying under 150 MB', async (t) => {
  const path = await tempFile(t, 'bomb.xlsx', sharedStringsBomb(1_500_000));
  const { result, growthMb } = await peakRssGrowthMb(() => inspectStagedFile({ format: 'XLSX', stagedPath: path, normalisedPath: `${path}.utf8` }));
  assertLimit(result, 'too_many_shared_strings');
  assert.ok(growthMb < 150, `RSS grew by ${growthMb.toFixed(0)} MB`);
});

test('an XLSX entry compressed more than 200 times is refused from the ZIP directory alone', async (t) => {
  const path = await tempFile(t, 'ratio.xlsx', ratioBomb(50));
  const { result, growthMb } = await peakRssGrowthMb(() => guardXlsx(path));
  assertLimit(result, 'xlsx_compression_ratio');
  assert.ok(growthMb < 50, `RSS grew by ${growthMb.toFixed(0)} MB`);
});

test('an XLSX whose ZIP directory understates an entry is refused when the entry inflates past it', async (t) => {
  const honest = workbook('<row r="1"><c r="A1"><v>1</v></c></row>'.repeat(2000));
  // Rewrite the last central entry's uncompressed size (the sheet) to 100 bytes.
  const eocd = honest.length - 22;
  const directoryStart = honest.readUInt32LE(eocd + 16);
  let at = directoryStart;
  let last = at;
  while (at < eocd) {
    last = at;
    at += 46 + honest.readUInt16LE(at + 28) + honest.readUInt16LE(at + 30) + honest.readUInt16LE(at + 32);
  }
  honest.writeUInt32LE(100, last + 24);
  const path = await tempFile(t, 'liar.xlsx', honest);
  assertLimit(await guardXlsx(path).catch((error: Error) => error), 'xlsx_damaged');
});

test('a ZIP with more entries than any workbook has is refused', async (t) => {
  const parts = Array.from({ length: 30 }, (_, i) => ({ name: `x/${i}.xml`, data: '<a/>' }));
  const path = await tempFile(t, 'many.xlsx', zip(parts));
  const error = await guardXlsx(path, { ...defaultTableLimits, maxZipEntries: 20 }).catch((e: Error) => e);
  assertLimit(error, 'xlsx_too_large');
});

test('a wide workbook (cells A1 and XFD1, then 200,000 rows) is refused at its header, memory staying under 150 MB', async (t) => {
  const path = await tempFile(t, 'wide.xlsx', wideWorkbook(200_000));
  const { result, growthMb } = await peakRssGrowthMb(() => inspectStagedFile({ format: 'XLSX', stagedPath: path, normalisedPath: `${path}.utf8`, limits: { maxColumns: 1000 } }));
  assertLimit(result, 'too_many_columns');
  assert.ok(growthMb < 150, `RSS grew by ${growthMb.toFixed(0)} MB`);
});

test('a narrow sheet whose rows reach column XFD stops at the cell cap', async (t) => {
  const rows = ['<row r="1"><c r="A1"><v>1</v></c></row>'];
  for (let r = 2; r < 400; r++) rows.push(`<row r="${r}"><c r="A${r}"><v>1</v></c><c r="XFD${r}"><v>2</v></c></row>`);
  const path = await tempFile(t, 'rows-to-xfd.xlsx', workbook(rows.join('')));
  const result = await inspectStagedFile({ format: 'XLSX', stagedPath: path, normalisedPath: `${path}.utf8`, limits: { maxCells: 1_000_000 } }).catch((e: Error) => e);
  assertLimit(result, 'too_many_cells');
});

test('a 1 MB CSV with 250,000 columns is refused at its header', async () => {
  const header = Array.from({ length: 250_000 }, (_, i) => `c${i % 10}`).join(',');
  const { result, growthMb } = await peakRssGrowthMb(() => inspectCsv(Readable.from([Buffer.from(`${header}\n${header}\n`)]), { maxColumns: 1000 }));
  assertLimit(result, 'too_many_columns');
  assert.ok(growthMb < 150, `RSS grew by ${growthMb.toFixed(0)} MB`);
});
