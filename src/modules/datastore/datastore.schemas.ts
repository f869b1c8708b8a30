import { defaultLimit, type FilterOperator, filterOperators, maxLimit, QueryError, type RecordsRequest } from './datastore.query.ts';

/**
 * The Records API's and datastore_search's parameters, from a query string or a JSON body, into one
 * RecordsRequest. Shapes are checked here; names and values against the table in datastore.query.ts.
 */

type Params = Record<string, unknown>;

const single = (value: unknown): unknown => (Array.isArray(value) ? value[value.length - 1] : value);

function text(params: Params, name: string): string | undefined {
  const value = single(params[name]);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw new QueryError('datastore.bad_parameter', { parameter: name }, name);
  return String(value);
}

function integer(params: Params, name: string, fallback: number, errorKey: string, errorParams: Record<string, number> = {}): number {
  const value = text(params, name);
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value.trim())) throw new QueryError(errorKey, errorParams, name);
  return Number(value);
}

function flag(params: Params, name: string, fallback: boolean): boolean {
  const value = single(params[name]);
  if (value === undefined || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  if (/^(true|1|yes)$/i.test(String(value))) return true;
  if (/^(false|0|no)$/i.test(String(value))) return false;
  throw new QueryError('datastore.bad_parameter', { parameter: name }, name);
}

/** A list given as "a,b" or as an array (JSON body, repeated parameter). */
function list(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value : String(value).split(',');
  if (items.some((item) => typeof item !== 'string' && typeof item !== 'number')) throw new QueryError('datastore.bad_parameter', { parameter: name }, name);
  return items.map((item) => String(item).trim()).filter((item) => item !== '');
}

/** "a desc, b" (CKAN), "-a,b", or an array of those. */
function sortOf(value: unknown): RecordsRequest['sort'] {
  return (list(value, 'sort') ?? []).map((entry) => {
    const match = /^(-)?(.+?)(?:\s+(asc|desc))?$/i.exec(entry.trim());
    if (!match) throw new QueryError('datastore.bad_parameter', { parameter: 'sort' }, 'sort');
    return { field: match[2].trim(), desc: Boolean(match[1]) || match[3]?.toLowerCase() === 'desc' };
  });
}

/**
 * `filters` as CKAN writes it, `{"district": "Quy Nhơn", "year": [2023, 2024]}`, extended with
 * ranges, `{"population": {"gte": 1000, "lt": 5000}}`. Given as JSON text or as an object.
 */
export function filtersOf(value: unknown): RecordsRequest['filters'] {
  if (value === undefined || value === null || value === '') return [];
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new QueryError('datastore.bad_filters_json', {}, 'filters');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new QueryError('datastore.bad_filters_json', {}, 'filters');
  const filters: RecordsRequest['filters'] = [];
  for (const [field, condition] of Object.entries(parsed)) {
    if (Array.isArray(condition)) filters.push({ field, op: 'in', values: condition });
    else if (typeof condition === 'object' && condition !== null) {
      for (const [op, operand] of Object.entries(condition)) {
        if (!filterOperators.includes(op as FilterOperator)) throw new QueryError('datastore.unknown_operator', { operator: op.slice(0, 20) }, 'filters');
        filters.push({ field, op: op as FilterOperator, values: Array.isArray(operand) ? operand : [operand] });
      }
    } else filters.push({ field, op: 'eq', values: [condition] });
  }
  if (filters.length > 50) throw new QueryError('datastore.too_many_filters', { max: 50 }, 'filters');
  return filters;
}

/** `filter[district]=Quy Nhơn`, `filter[year][in]=2023,2024`, `filter[population][gte]=1000`. */
function bracketFilters(params: Params): RecordsRequest['filters'] {
  const filters: RecordsRequest['filters'] = [];
  for (const [key, raw] of Object.entries(params)) {
    const match = /^filter\[([^\]]+)\](?:\[([^\]]+)\])?$/.exec(key);
    if (!match) continue;
    const op = (match[2] ?? 'eq') as FilterOperator;
    if (!filterOperators.includes(op)) throw new QueryError('datastore.unknown_operator', { operator: op.slice(0, 20) }, 'filters');
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      filters.push({ field: match[1], op, values: op === 'in' ? String(value).split(',') : [value] });
    }
  }
  return filters;
}

export type OutputFormat = 'json' | 'csv' | 'xml';

/** `format=` first, then the Accept header; JSON when neither says otherwise. */
export function outputFormatOf(params: Params, accept: string | undefined): OutputFormat {
  const format = text(params, 'format')?.toLowerCase();
  if (format) {
    if (format === 'json' || format === 'csv' || format === 'xml') return format;
    throw new QueryError('datastore.bad_format', { format: format.slice(0, 20) }, 'format');
  }
  if (accept && /text\/csv/.test(accept)) return 'csv';
  if (accept && /(application|text)\/xml/.test(accept) && !/json/.test(accept)) return 'xml';
  return 'json';
}

/** The Records API's query string. */
export function recordsRequestOf(params: Params): RecordsRequest {
  const q = text(params, 'q');
  return {
    filters: [...filtersOf(single(params.filters)), ...bracketFilters(params)],
    q,
    sort: sortOf(params.sort),
    fields: list(params.fields, 'fields'),
    limit: integer(params, 'limit', defaultLimit, 'datastore.bad_limit', { max: maxLimit }),
    offset: integer(params, 'offset', 0, 'datastore.bad_offset'),
    after: text(params, 'after'),
    includeTotal: flag(params, 'include_total', false),
  };
}

/** datastore_search's parameters (CKAN: include_total defaults to true; q may only be text here). */
export function ckanSearchRequestOf(params: Params): RecordsRequest {
  const q = single(params.q);
  if (q !== undefined && q !== null && typeof q !== 'string') throw new QueryError('datastore.bad_parameter', { parameter: 'q' }, 'q');
  return {
    filters: filtersOf(params.filters),
    q: typeof q === 'string' && q !== '' ? q : undefined,
    sort: sortOf(params.sort),
    fields: list(params.fields, 'fields'),
    limit: integer(params, 'limit', defaultLimit, 'datastore.bad_limit', { max: maxLimit }),
    offset: integer(params, 'offset', 0, 'datastore.bad_offset'),
    after: undefined,
    includeTotal: flag(params, 'include_total', true),
  };
}
