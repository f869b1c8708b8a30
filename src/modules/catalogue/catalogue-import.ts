import ExcelJS from 'exceljs';
import type { Queryable } from '../../db/client.ts';
import { slugify } from '../../lib/slug.ts';
import { listAllAgencies } from '../agencies/agencies.repository.ts';
import { detectEncoding } from '../tabular/encoding.ts';
import { listTopics } from '../topics/topics.repository.ts';
import { type CatalogueProblem, type ParsedCatalogue, parseCatalogueCsv, parseCatalogueRows } from './catalogue-csv.ts';
import type { NewCatalogueEntry } from './catalogue.table.ts';

/** A catalogue is a few hundred rows: anything far larger is not one, and is refused before parsing. */
export const catalogueFileMaxBytes = 512 * 1024;
const maxRows = 5_000;

const zipMagic = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** A cell as an official reads it: dates as dd/mm/yyyy, rich text as its text, formulas as their result. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${pad(value.getUTCDate())}/${pad(value.getUTCMonth() + 1)}/${value.getUTCFullYear()}`;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
  }
  return String(value);
}

async function readXlsxRows(bytes: Buffer): Promise<string[][] | null> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return null;
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  // Row numbers stay those of the spreadsheet: gaps are kept as empty rows.
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    if (rowNumber > maxRows + 20) return;
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value);
    });
    rows[rowNumber - 1] = Array.from(cells, (cell) => cell ?? '');
  });
  return Array.from(rows, (row) => row ?? []);
}

/** Reads a CSV (UTF-8, UTF-16 or Windows-1258) or an XLSX into catalogue entries and problems. */
export async function readCatalogueFile(fileName: string, bytes: Buffer): Promise<ParsedCatalogue> {
  const emptyHeaders = { agency: '', topic: '' };
  const fail = (key: string, params?: Record<string, string | number>): ParsedCatalogue => ({
    entries: [],
    headers: emptyHeaders,
    errors: [{ row: 0, column: null, key, params }],
  });
  if (bytes.length === 0) return fail('catalogue.problem_empty_file');
  if (bytes.length > catalogueFileMaxBytes) return fail('catalogue.problem_too_large', { kilobytes: catalogueFileMaxBytes / 1024 });
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  const isZip = bytes.subarray(0, 4).equals(zipMagic);
  if (extension === 'xlsx' || isZip) {
    const rows = isZip ? await readXlsxRows(bytes) : null;
    if (rows === null) return fail('catalogue.problem_not_xlsx');
    if (rows.length > maxRows) return fail('catalogue.problem_too_many_rows', { rows: maxRows });
    return parseCatalogueRows(rows);
  }
  if (extension !== 'csv' && extension !== 'txt') return fail('catalogue.problem_format');
  const encoding = detectEncoding(bytes.subarray(0, 65536));
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  const text = new TextDecoder(label).decode(bytes);
  if (text.includes('\u0000')) return fail('catalogue.problem_not_text');
  const parsed = parseCatalogueCsv(text);
  if (parsed.entries.length + parsed.errors.length > maxRows) return fail('catalogue.problem_too_many_rows', { rows: maxRows });
  return parsed;
}

export type ResolvedEntry = Omit<NewCatalogueEntry, 'catalogueId'> & { agencyName: string; topicName: string };

/**
 * Names become ids: an agency by its name, a topic group by its Vietnamese or English name, both
 * compared without case or diacritics. Every unknown name is a problem of its row and column.
 */
export async function resolveCatalogue(db: Queryable, parsed: ParsedCatalogue): Promise<{ entries: ResolvedEntry[]; errors: CatalogueProblem[] }> {
  const [agencies, topics] = await Promise.all([listAllAgencies(db), listTopics(db)]);
  const agencyBySlug = new Map(agencies.map((agency) => [slugify(agency.name, 500), agency]));
  const topicBySlug = new Map<string, (typeof topics)[number]>();
  for (const topic of topics) {
    topicBySlug.set(slugify(topic.nameEn, 500), topic);
    topicBySlug.set(slugify(topic.nameVi, 500), topic);
  }
  const errors = [...parsed.errors];
  const entries: ResolvedEntry[] = [];
  for (const entry of parsed.entries) {
    const agency = agencyBySlug.get(slugify(entry.agencyName, 500));
    const topic = topicBySlug.get(slugify(entry.topicName, 500));
    const row = entry.row ?? 0;
    if (!agency) errors.push({ row, column: parsed.headers.agency, key: 'catalogue.problem_unknown_agency', params: { value: entry.agencyName } });
    if (!topic) errors.push({ row, column: parsed.headers.topic, key: 'catalogue.problem_unknown_topic', params: { value: entry.topicName } });
    if (!agency || !topic) continue;
    entries.push({
      number: entry.number,
      title: entry.title,
      description: entry.description,
      agencyId: agency.id,
      agencyName: agency.name,
      topicId: topic.id,
      topicName: topic.nameVi,
      firstPublicationDate: entry.firstPublicationDate,
      frequency: entry.frequency,
      notes: entry.notes,
    });
  }
  errors.sort((a, b) => a.row - b.row);
  return { entries, errors };
}
