/**
 * Hostile files of issue 10 against the portal's readers, in this process, each next to an ordinary
 * file of comparable size read the same way in the same run (the baseline):
 * - conversions (JSON, XML, XLSX) of a CSV whose header repeats one name 30,000 times, vs. an
 *   ordinary CSV of the same number of cells (1,000 rows × 30 columns);
 * - inspections at upload (inspectStagedFile, the worker's job, run here on the main thread so its
 *   memory is this process's) of XLSX bombs and a 250,000-column CSV, vs. an ordinary workbook of
 *   50,000 rows: time and peak RSS growth (sampled every 5 ms).
 *
 *   npx tsx bench/hostile-files.ts
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { csvToJson, csvToXlsx, csvToXml } from '../src/modules/previews/convert.ts';
import { inspectStagedFile } from '../src/modules/tabular/inspect-file.ts';
import { ratioBomb, sharedStringsBomb, wideWorkbook } from '../test/modules/tabular/xlsx-bombs.ts';

async function measure(work: () => Promise<unknown>): Promise<{ ms: number; rssMb: number; outcome: string }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const start = performance.now();
  let outcome = 'accepted';
  try {
    await work();
  } catch (error) {
    const { name, code } = error as { name: string; code?: string };
    outcome = `refused: ${code ?? name}`;
  }
  const ms = performance.now() - start;
  clearInterval(timer);
  return { ms, rssMb: (Math.max(peak, process.memoryUsage().rss) - before) / 1024 / 1024, outcome };
}

const convert = (fn: typeof csvToJson, csv: Buffer) => async () => {
  const output = new PassThrough();
  output.resume();
  await fn(Readable.from([csv]), output);
};

const repeats = 30_000;
const repeated = Buffer.from(`${Array(repeats).fill('name').join(',')}\n${Array.from({ length: repeats }, (_, i) => i).join(',')}\n`);
const ordinaryRows = Array.from({ length: 1000 }, (_, r) => Array.from({ length: 30 }, (_, c) => r * 30 + c).join(','));
const ordinary = Buffer.from(`${Array.from({ length: 30 }, (_, c) => `cot_${c}`).join(',')}\n${ordinaryRows.join('\n')}\n`);

console.log(`Conversions: header repeating one name ${repeats} times (${(repeated.length / 1024).toFixed(0)} KB) vs. 1,000 × 30 ordinary CSV`);
for (const [format, fn] of [['json', csvToJson], ['xml', csvToXml], ['xlsx', csvToXlsx]] as const) {
  await convert(fn, ordinary)(); // warm-up
  const base = await measure(convert(fn, ordinary));
  const hostile = await measure(convert(fn, repeated));
  console.log(`  ${format.padEnd(5)} baseline ${base.ms.toFixed(0).padStart(6)} ms   repeated header ${hostile.ms.toFixed(0).padStart(6)} ms   ratio ${(hostile.ms / base.ms).toFixed(1)}×`);
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'hostile-files-'));
try {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path.join(dir, 'ordinary.xlsx'), useSharedStrings: true });
  const sheet = book.addWorksheet('Dữ liệu');
  sheet.addRow(['Mã', 'Tên', 'Giá trị']).commit();
  for (let i = 0; i < 50_000; i++) sheet.addRow([i, `Xã ${i % 500}`, i * 3]).commit();
  sheet.commit();
  await book.commit();
  const files: Array<[string, string, Buffer | null]> = [
    ['ordinary workbook, 50,000 rows (baseline)', 'ordinary.xlsx', null],
    ['1.5 M shared strings', 'strings.xlsx', sharedStringsBomb(1_500_000)],
    ['wide: A1 + XFD1, then 200,000 rows', 'wide.xlsx', wideWorkbook(200_000)],
    ['50 MB of blanks in one entry (ratio)', 'ratio.xlsx', ratioBomb(50)],
    ['CSV of 250,000 columns', 'wide.csv', Buffer.from(`${Array.from({ length: 250_000 }, (_, i) => `c${i % 10}`).join(',')}\n`.repeat(2))],
  ];
  console.log('Inspections at upload (default limits: 1,000 columns, 1 M shared strings, 20 M cells, ratio 200)');
  for (const [label, name, content] of files) {
    const file = path.join(dir, name);
    if (content) await writeFile(file, content);
    const format = name.endsWith('.csv') ? 'CSV' : 'XLSX';
    const size = content ? `${(content.length / 1024).toFixed(0)} KB` : '';
    const result = await measure(() => inspectStagedFile({ format, stagedPath: file, normalisedPath: `${file}.utf8` }));
    console.log(`  ${label.padEnd(42)} ${size.padStart(8)}  ${result.outcome.padEnd(34)} ${result.ms.toFixed(0).padStart(6)} ms  peak RSS +${result.rssMb.toFixed(0)} MB`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
