import Papa from 'papaparse';
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
};

export type CatalogueRowError = { row: number; message: string };

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
  quy: 'quarterly',
  'theo-quy': 'quarterly',
  quarterly: 'quarterly',
  '6-thang': 'half_yearly',
  'sau-thang': 'half_yearly',
  '6-thang-mot-lan': 'half_yearly',
  'nua-nam': 'half_yearly',
  'hang-nua-nam': 'half_yearly',
  'half-yearly': 'half_yearly',
  'hang-nam': 'yearly',
  nam: 'yearly',
  'theo-nam': 'yearly',
  yearly: 'yearly',
  'khong-thuong-xuyen': 'irregular',
  'khong-dinh-ky': 'irregular',
  'khi-co-thay-doi': 'irregular',
  'khi-co-bien-dong': 'irregular',
  'khi-co-phat-sinh': 'irregular',
  'dot-xuat': 'irregular',
  'theo-yeu-cau': 'irregular',
  irregular: 'irregular',
};

export function parseFrequency(text: string): UpdateFrequency | null {
  return frequencyAliases[slugify(text)] ?? null;
}

/** Accepts dd/mm/yyyy (also with - or .) and yyyy-mm-dd; returns YYYY-MM-DD or null for an impossible date. */
export function parseCatalogueDate(text: string): string | null {
  const value = text.trim();
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  const ymd = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const parts = dmy ? [dmy[3], dmy[2], dmy[1]] : ymd ? [ymd[1], ymd[2], ymd[3]] : null;
  if (!parts) return null;
  const [year, month, day] = parts.map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31/02 over into March; a round trip catches it.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * Parses a catalogue CSV. Problems come back as errors with 1-based row numbers (the header is row 1)
 * so an officer can find them in a spreadsheet; a row with any error is left out of `entries`.
 */
export function parseCatalogueCsv(text: string): { entries: CatalogueEntry[]; errors: CatalogueRowError[] } {
  const entries: CatalogueEntry[] = [];
  const errors: CatalogueRowError[] = [];
  // header: false keeps blank lines in place, so record indexes stay equal to spreadsheet rows.
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: false });
  for (const error of parsed.errors) {
    errors.push({ row: (error.row ?? 0) + 1, message: `CSV không hợp lệ: ${error.message}` });
  }

  const rows = parsed.data;
  const headerIndex = rows.findIndex((cells) => cells.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0) return { entries, errors: [...errors, { row: 1, message: 'Tệp không có dòng tiêu đề.' }] };

  const columns = new Map<Field, number>();
  rows[headerIndex].forEach((header, index) => {
    const field = headerAliases[slugify(header.replace(/^\uFEFF/, ''))];
    if (field && !columns.has(field)) columns.set(field, index);
  });
  const missing = (['title', 'agency', 'topic'] as const).filter((field) => !columns.has(field));
  if (missing.length > 0) {
    const names = { title: 'Tên tập dữ liệu', agency: 'Đơn vị chủ trì cung cấp', topic: 'Nhóm chủ đề' };
    const list = missing.map((field) => names[field]).join(', ');
    return { entries, errors: [...errors, { row: headerIndex + 1, message: `Thiếu cột: ${list}.` }] };
  }

  for (let index = headerIndex + 1; index < rows.length; index++) {
    const cells = rows[index];
    if (cells.every((cell) => cell.trim() === '')) continue;
    const row = index + 1;
    const cell = (field: Field): string => {
      const column = columns.get(field);
      return column === undefined ? '' : (cells[column] ?? '').trim();
    };
    const rowErrors: string[] = [];

    const title = cell('title');
    const agencyName = cell('agency');
    const topicName = cell('topic');
    if (!title) rowErrors.push('Thiếu tên tập dữ liệu.');
    if (!agencyName) rowErrors.push('Thiếu đơn vị chủ trì cung cấp.');
    if (!topicName) rowErrors.push('Thiếu nhóm chủ đề.');

    // An empty TT falls back to the position among entries, as catalogues are numbered in order.
    const numberText = cell('number');
    const number = numberText === '' ? entries.length + 1 : Number(numberText);
    if (!Number.isInteger(number) || number < 1) rowErrors.push(`Số thứ tự "${numberText}" không phải số nguyên dương.`);

    const dateText = cell('date');
    const firstPublicationDate = dateText === '' ? null : parseCatalogueDate(dateText);
    if (dateText !== '' && firstPublicationDate === null) {
      rowErrors.push(`Ngày cung cấp lần đầu "${dateText}" không hợp lệ (dd/mm/yyyy).`);
    }

    const frequencyText = cell('frequency');
    const frequency = frequencyText === '' ? null : parseFrequency(frequencyText);
    if (frequencyText !== '' && frequency === null) {
      rowErrors.push(`Tần suất cung cấp "${frequencyText}" không nhận ra được.`);
    }

    if (rowErrors.length > 0) {
      errors.push({ row, message: rowErrors.join(' ') });
      continue;
    }
    entries.push({
      number,
      title,
      description: cell('description'),
      agencyName,
      firstPublicationDate,
      frequency,
      notes: cell('notes'),
      topicName,
    });
  }
  return { entries, errors };
}
