import { badRequest } from './errors.ts';

export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

const maxPage = 100_000;

/** `?page=` must be a positive whole number; anything else is a 400 with a sentence, not a 500. */
export function parsePage(raw: unknown, pageSize = 20): PageRequest {
  if (raw === undefined || raw === '') return { page: 1, pageSize, offset: 0 };
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (typeof text !== 'string' || !/^\d{1,6}$/.test(text) || Number(text) < 1 || Number(text) > maxPage) {
    throw badRequest('errors.invalid_page', { value: String(text).slice(0, 20) });
  }
  const page = Number(text);
  return { page, pageSize, offset: (page - 1) * pageSize };
}

export function toPage<T>(items: T[], total: number, request: PageRequest): Page<T> {
  return {
    items,
    total,
    page: request.page,
    pageSize: request.pageSize,
    pageCount: Math.max(1, Math.ceil(total / request.pageSize)),
  };
}
