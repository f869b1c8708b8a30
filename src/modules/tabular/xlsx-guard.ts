import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { defaultTableLimits, type TableLimits, TableLimitError } from './table-limits.ts';

/**
 * The checks an XLSX passes before exceljs sees it (OWASP file upload guidance on archives). The
 * ZIP's central directory gives each entry's sizes without decompressing anything: too many
 * entries, an entry or a total too large, or a ratio only a bomb reaches, and the file is refused.
 * The directory can lie, so every entry is then inflated once into a counter that stops at the
 * declared size, counting shared strings and cells on the way: exceljs caches every shared string
 * (40 M of them took 5.7 GB) and walks every cell.
 */

export type ZipEntry = {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
};

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
/** The end record is followed by a comment of at most 65,535 bytes. */
const MAX_EOCD_SEARCH = EOCD_SIZE + 0xffff;
/** ZIP64 puts this in a 32-bit field: sizes past 4 GB, which no accepted workbook has. */
const ZIP64_MARK = 0xffffffff;

const damaged = () => new TableLimitError('xlsx_damaged');

/** The entries listed in the central directory, refused when there are too many. */
export async function readZipDirectory(filePath: string, limits: Pick<TableLimits, 'maxZipEntries'> = defaultTableLimits): Promise<ZipEntry[]> {
  const file = await open(filePath, 'r');
  try {
    const { size } = await file.stat();
    const tailLength = Math.min(size, MAX_EOCD_SEARCH);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - EOCD_SIZE; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw damaged();
    const entryCount = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    if (entryCount === 0xffff || directorySize === ZIP64_MARK || directoryOffset === ZIP64_MARK) {
      throw new TableLimitError('xlsx_too_large', { maxMb: 0 });
    }
    if (entryCount > limits.maxZipEntries) throw new TableLimitError('xlsx_too_large', { entries: entryCount, maxEntries: limits.maxZipEntries });
    if (directoryOffset + directorySize > size) throw damaged();
    const directory = Buffer.alloc(directorySize);
    await file.read(directory, 0, directorySize, directoryOffset);
    const entries: ZipEntry[] = [];
    for (let at = 0; entries.length < entryCount; ) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw damaged();
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      entries.push({
        name: directory.toString('utf8', at + 46, at + 46 + nameLength),
        method: directory.readUInt16LE(at + 10),
        compressedSize: directory.readUInt32LE(at + 20),
        uncompressedSize: directory.readUInt32LE(at + 24),
        localHeaderOffset: directory.readUInt32LE(at + 42),
      });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await file.close();
  }
}

const MB = 1024 * 1024;

/** Sizes and ratios from the directory alone: nothing is decompressed yet. */
export function checkZipSizes(entries: ZipEntry[], limits: TableLimits = defaultTableLimits): void {
  let total = 0;
  for (const entry of entries) {
    if (entry.compressedSize === ZIP64_MARK || entry.uncompressedSize === ZIP64_MARK || entry.uncompressedSize > limits.maxEntryBytes) {
      throw new TableLimitError('xlsx_too_large', { maxMb: Math.round(limits.maxTotalBytes / MB) });
    }
    total += entry.uncompressedSize;
    if (total > limits.maxTotalBytes) throw new TableLimitError('xlsx_too_large', { maxMb: Math.round(limits.maxTotalBytes / MB) });
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > MB && ratio > limits.maxCompressionRatio) {
      throw new TableLimitError('xlsx_compression_ratio', { ratio: Math.round(ratio), max: limits.maxCompressionRatio });
    }
  }
}

/** Counts of what exceljs would build, found by reading the XML as bytes. */
export type XlsxCounts = { sharedStrings: number; cells: number };

const sharedStringsEntry = /^xl\/sharedStrings\d*\.xml$/i;
const worksheetEntry = /^xl\/worksheets\/[^/]+\.xml$/i;

/**
 * Inflates every entry once, refusing one that grows past its declared size, and counts `<si`
 * in shared strings and `<c` in worksheets (with or without a namespace prefix), stopping at the
 * first limit passed. Memory stays at one chunk per entry whatever the file holds.
 */
export async function scanXlsxEntries(filePath: string, entries: ZipEntry[], limits: TableLimits = defaultTableLimits): Promise<XlsxCounts> {
  const counts: XlsxCounts = { sharedStrings: 0, cells: 0 };
  const file = await open(filePath, 'r');
  try {
    for (const entry of entries) {
      const counting = sharedStringsEntry.test(entry.name) ? 'si' : worksheetEntry.test(entry.name) ? 'c' : null;
      if (entry.method !== 0 && entry.method !== 8) throw damaged();
      const header = Buffer.alloc(30);
      await file.read(header, 0, 30, entry.localHeaderOffset);
      if (header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw damaged();
      const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      if (entry.compressedSize === 0) continue;
      const raw = createReadStream(filePath, { start, end: start + entry.compressedSize - 1 });
      let inflated = 0;
      const tagCounter = counting ? createTagCounter(counting) : null;
      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          inflated += chunk.length;
          if (inflated > entry.uncompressedSize) return callback(new TableLimitError('xlsx_damaged'));
          if (tagCounter) {
            const found = tagCounter(chunk);
            if (counting === 'si') counts.sharedStrings += found;
            else counts.cells += found;
            if (counts.sharedStrings > limits.maxSharedStrings) {
              return callback(new TableLimitError('too_many_shared_strings', { max: limits.maxSharedStrings }));
            }
            if (counts.cells > limits.maxCells) return callback(new TableLimitError('too_many_cells', { max: limits.maxCells }));
          }
          callback();
        },
      });
      try {
        await (entry.method === 8 ? pipeline(raw, createInflateRaw(), sink) : pipeline(raw, sink));
      } catch (error) {
        if (error instanceof TableLimitError) throw error;
        throw damaged(); // a corrupt deflate stream
      }
    }
    return counts;
  } finally {
    await file.close();
  }
}

/**
 * Counts opening tags named `name` across chunks: `<name` or `<prefix:name` followed by a space,
 * `>` or `/`. A few bytes are carried over so a tag cut between two chunks is still seen once.
 */
function createTagCounter(name: string): (chunk: Buffer) => number {
  const pattern = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${name}[\\s>/]`, 'g');
  const carry = 32; // longer than any tag prefix we look for
  let previous = '';
  return (chunk) => {
    const text = previous + chunk.toString('latin1'); // tags are ASCII; latin1 never splits bytes
    let count = 0;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      // A match wholly inside the carried-over part was counted with the previous chunk.
      if (match.index + match[0].length > previous.length) count++;
    }
    previous = text.slice(-carry);
    return count;
  };
}

/** All the checks, in order of cost; throws TableLimitError with the first limit passed. */
export async function guardXlsx(filePath: string, limits: TableLimits = defaultTableLimits): Promise<XlsxCounts> {
  const entries = await readZipDirectory(filePath, limits);
  checkZipSizes(entries, limits);
  return scanXlsxEntries(filePath, entries, limits);
}
