import Papa from 'papaparse';
import { translator } from '../../i18n/i18n.ts';
import { parseCalendarDay } from '../../lib/calendar.ts';
import { slugify } from '../../lib/slug.ts';
import type { UpdateFrequency } from '../datasets/datasets.table.ts';

/** One row of the open data catalogue (Danh mục dữ liệu mở), in the columns of the plans' Appendix II. */
export type CatalogueEntry = {
  number: number;
  title: string;
  description: string;
  agencyName: string;
  /** YYYY-MM-DD */
  firstPublicationDate: string | null;
  frequency: UpdateFrequency | null;
  notes: string;
  topicName: string;
  /** The spreadsheet row it came from, for problems found later (an unknown agency). */
  row?: number;
};

type Field = 'number' | 'title' | 'description' | 'agency' | 'date' | 'frequency' | 'notes' | 'topic';

/** Headers are compared as slugs, so case, diacritics and spacing variants all match. */
const headerAliases: Record<string, Field> = {
  tt: 'number',
  stt: 'number',
  'so-thu-tu': 'number',
  number: 'number',
  'ten-tap-du-lieu': 'title',
  'ten-du-lieu': 'title',
  title: 'title',
  'mo-ta': 'description',
  description: 'description',
  'don-vi-chu-tri-cung-cap': 'agency',
  'don-vi-chu-tri': 'agency',
  'co-quan-chu-tri': 'agency',
  agency: 'agency',
  'ngay-cung-cap-lan-dau': 'date',
  'first-publication-date': 'date',
  'tan-suat-cung-cap': 'frequency',
  'tan-suat-cap-nhat': 'frequency',
  'tan-suat': 'frequency',
  frequency: 'frequency',
  'ghi-chu': 'notes',
  notes: 'notes',
  'nhom-chu-de': 'topic',
  'chu-de': 'topic',
  topic: 'topic',
};

/**
 * Vietnamese frequency wording, as slugs. "Hàng" and "hằng" are both in common use (the plans' template
 * writes "Hàng tháng"), so both fold to "hang". English values are accepted for round-tripping exports.
 */
const frequencyAliases: Record<string, UpdateFrequency> = {
  'hang-tuan': 'weekly',
  'tuan': 'weekly',
  weekly: 'weekly',
  'hang-thang': 'monthly',
  thang: 'monthly',
  monthly: 'monthly',
  'hang-quy': 'quarterly',
  'hang-quy-01-lan': 'quarterly',
  'quy-mot-lan': 'quarterly',
  '3-thang-lan': 'quarterly',
  '3-thang-mot-lan': 'quarterly',
  quy: 'quarterly',
  'theo-quy': 'quarterly',
  quarterly: 'quarterly',
  '6-thang': 'half_yearly',
  'sau-thang': 'half_yearly',
  '6-thang-mot-lan': 'half_yearly',
  '6-thang-lan': 'half_yearly',
  '6-thang-1-lan': 'half_yearly',
  '2-lan-nam': 'half_yearly',
  'nua-nam': 'half_yearly',
  'hang-nua-nam': 'half_yearly',
  'half-yearly': 'half_yearly',
  'hang-nam': 'yearly',
  'nam-mot-lan': 'yearly',
  '1-nam-lan': 'yearly',
  '1-nam-1-lan': 'yearly',
  'thang-mot-lan': 'monthly',
  'tuan-mot-lan': 'weekly',
  nam: 'yearly',
  'theo-nam': 'yearly',
  yearly: 'yearly',
  'khong-thuong-xuyen': 'irregular',
  'khong-dinh-ky': 'irregular',
  'khi-co-thay-doi': 'irregular',
  'khi-co-bien-dong': 'irregular',
  'khi-co-phat-sinh': 'irregular',
  'khi-co-su-thay-doi': 'irregular',
  'thuong-xuyen': 'irregular',
  'when-it-changes': 'irregular',
  'dot-xuat': 'irregular',
  'theo-yeu-cau': 'irregular',
  irregular: 'irregular',
};

export function parseFrequency(text: string): UpdateFrequency | null {
  return frequencyAliases[slugify(text)] ?? null;
}

/** Accepts dd/mm/yyyy (also with - or .) and yyyy-mm-dd; returns YYYY-MM-DD or null for an impossible date. */
export const parseCatalogueDate = parseCalendarDay;

/** A problem of one cell (or of the whole file when column is null), as a translation key with values. */
export type CatalogueProblem = { row: number; column: string | null; key: string; params?: Record<string, string | number> };

export interface ParsedCatalogue {
  entries: CatalogueEntry[];
  errors: CatalogueProblem[];
  /** Headers as the file writes them, for problems found after parsing. */
  headers: { agency: string; topic: string };
}

/** Parses a catalogue CSV (UTF-8, with or without a BOM). */
export function parseCatalogueCsv(text: string): ParsedCatalogue {
  // header: false keeps blank lines in place, so record indexes stay equal to spreadsheet rows.
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: false });
  const csvErrors: CatalogueProblem[] = parsed.errors.map((error) => ({
    row: (error.row ?? 0) + 1,
    column: null,
    key: 'catalogue.problem_csv',
    params: { detail: error.message },
  }));
  const result = parseCatalogueRows(parsed.data);
  return { ...result, errors: [...csvErrors, ...result.errors] };
}

const requiredFields = ['title', 'agency', 'topic'] as const;
// The template's Vietnamese headers, from the catalogue (files are Vietnamese whatever the page's language).
const vi = translator('vi');
const fieldHeaders: Record<Field, string> = {
  number: vi('catalogue.col_number'),
  title: vi('catalogue.col_title'),
  description: vi('catalogue.col_description'),
  agency: vi('catalogue.col_agency'),
  date: vi('catalogue.col_first_date'),
  frequency: vi('catalogue.col_frequency'),
  notes: vi('catalogue.col_notes'),
  topic: vi('catalogue.col_topic'),
};
/** The Appendix II headers in their order: exports write them, imports recognise them. */
export const catalogueHeaders = (['number', 'title', 'description', 'agency', 'date', 'frequency', 'notes', 'topic'] as const).map(
  (field) => fieldHeaders[field],
);

/**
 * Parses rows of cells (from a CSV or the first sheet of a workbook). The header row is the first row
 * naming at least two known columns, so the title rows of an administrative appendix are skipped.
 * Problems come back with 1-based spreadsheet row numbers and the column's header as the file writes it;
 * a row with any problem is left out of `entries`.
 */
export function parseCatalogueRows(rows: string[][]): ParsedCatalogue {
  const entries: CatalogueEntry[] = [];
  const errors: CatalogueProblem[] = [];
  const headers = { agency: fieldHeaders.agency, topic: fieldHeaders.topic };
  const fieldsOf = (cells: string[]) => cells.map((header) => headerAliases[slugify(String(header ?? '').replace(/^\uFEFF/, ''))]);
  const headerIndex = rows.slice(0, 20).findIndex((cells) => fieldsOf(cells).filter(Boolean).length >= 2);
  if (headerIndex < 0) return { entries, headers, errors: [{ row: 1, column: null, key: 'catalogue.problem_no_header' }] };

  const columns = new Map<Field, { index: number; header: string }>();
  fieldsOf(rows[headerIndex]).forEach((field, index) => {
    if (field && !columns.has(field)) columns.set(field, { index, header: String(rows[headerIndex][index]).trim() });
  });
  const missing = requiredFields.filter((field) => !columns.has(field));
  if (missing.length > 0) {
    for (const field of missing) errors.push({ row: headerIndex + 1, column: fieldHeaders[field], key: 'catalogue.problem_missing_column' });
    return { entries, errors, headers };
  }
  headers.agency = columns.get('agency')?.header ?? headers.agency;
  headers.topic = columns.get('topic')?.header ?? headers.topic;

  const seenNumbers = new Map<number, number>();
  let position = 0;
  for (let index = headerIndex + 1; index < rows.length; index++) {
    const cells = rows[index].map((cell) => String(cell ?? ''));
    if (cells.every((cell) => cell.trim() === '')) continue;
    const row = index + 1;
    position += 1;
    const cell = (field: Field): string => {
      const column = columns.get(field);
      return column === undefined ? '' : (cells[column.index] ?? '').trim();
    };
    const rowErrors: CatalogueProblem[] = [];
    const problem = (field: Field, key: string, params?: Record<string, string | number>) =>
      rowErrors.push({ row, column: columns.get(field)?.header ?? fieldHeaders[field], key, params });

    const title = cell('title');
    const agencyName = cell('agency');
    const topicName = cell('topic');
    if (!title) problem('title', 'catalogue.problem_required');
    if (!agencyName) problem('agency', 'catalogue.problem_required');
    if (!topicName) problem('topic', 'catalogue.problem_required');

    // An empty TT falls back to the position among entries, as catalogues are numbered in order.
    const numberText = cell('number');
    const number = numberText === '' ? position : Number(numberText);
    if (!Number.isInteger(number) || number < 1 || number > 100_000) problem('number', 'catalogue.problem_number', { value: numberText });
    else if (seenNumbers.has(number)) problem('number', 'catalogue.problem_duplicate_number', { value: number, other: seenNumbers.get(number) ?? 0 });
    else seenNumbers.set(number, row);

    const dateText = cell('date');
    const firstPublicationDate = dateText === '' ? null : parseCatalogueDate(dateText);
    if (dateText !== '' && firstPublicationDate === null) problem('date', 'catalogue.problem_date', { value: dateText });

    const frequencyText = cell('frequency');
    const frequency = frequencyText === '' ? null : parseFrequency(frequencyText);
    if (frequencyText !== '' && frequency === null) problem('frequency', 'catalogue.problem_frequency', { value: frequencyText });

    if (title.length > 500) problem('title', 'catalogue.problem_too_long');
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    entries.push({ number, title, description: cell('description'), agencyName, firstPublicationDate, frequency, notes: cell('notes'), topicName, row });
  }
  if (entries.length === 0 && errors.length === 0) errors.push({ row: headerIndex + 2, column: null, key: 'catalogue.problem_empty' });
  return { entries, errors, headers };
}
