import { type SQL, sql } from 'drizzle-orm';
import { fold, fullTextVectorSql, isoDateOf, systemColumns } from './datastore.fields.ts';
import type { DatastoreField, DatastoreFieldType, FullTextState } from './datastore.table.ts';

/**
 * Reading a loaded table. Every identifier comes from the table's own field list (checked, then
 * quoted by Drizzle); every value is a parameter, cast to its column's type. Nothing the caller
 * sends is ever pasted into SQL.
 */

export const maxLimit = 32_000;
export const defaultLimit = 100;

export type FilterOperator = 'eq' | 'ne' | 'in' | 'gt' | 'gte' | 'lt' | 'lte';
export const filterOperators: FilterOperator[] = ['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte'];

export interface RecordsRequest {
  filters: Array<{ field: string; op: FilterOperator; values: unknown[] }>;
  q?: string;
  sort: Array<{ field: string; desc: boolean }>;
  fields?: string[];
  limit: number;
  offset: number;
  after?: string;
  includeTotal: boolean;
}

/** A request the table cannot answer, as a translation key with its values (400 / 409 for CKAN). */
export class QueryError extends Error {
  constructor(
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
    /** The parameter at fault, for CKAN's per-field validation errors. */
    readonly parameter = 'query',
    /** 409: a request that will be right later (full text still being indexed). */
    readonly status: 400 | 409 = 400,
  ) {
    super(messageKey);
  }
}

/** A field of the table, the row number included, by its id (or, failing that, its label). */
export interface ColumnRef {
  id: string;
  type: DatastoreFieldType;
  label: string;
  /** false: the column holds no null (see DatastoreField). */
  nulls?: boolean;
}

export function columnsOf(fields: DatastoreField[]): ColumnRef[] {
  return [{ id: systemColumns.id, type: 'integer', label: systemColumns.id, nulls: false }, ...fields];
}

function resolve(columns: ColumnRef[], name: string, parameter: string): ColumnRef {
  const column = columns.find((entry) => entry.id === name) ?? columns.find((entry) => entry.label === name);
  if (!column) throw new QueryError('datastore.unknown_field', { field: String(name).slice(0, 100) }, parameter);
  return column;
}

const castOf: Record<DatastoreFieldType, SQL> = {
  integer: sql.raw('bigint'),
  numeric: sql.raw('numeric'),
  date: sql.raw('date'),
  boolean: sql.raw('boolean'),
  text: sql.raw('text'),
};

/** A filter value as text PostgreSQL reads for the column's type, or a 400 saying why not. */
export function typedValue(column: ColumnRef, raw: unknown, parameter = 'filters'): string | null {
  if (raw === null) return null;
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    throw new QueryError('datastore.bad_value', { field: column.id }, parameter);
  }
  const value = String(raw).trim();
  const bad = () => new QueryError('datastore.bad_value_for_type', { field: column.id, value: value.slice(0, 50), type: column.type }, parameter);
  switch (column.type) {
    case 'integer':
      if (!/^[+-]?\d{1,18}$/.test(value)) throw bad();
      return value;
    case 'numeric': {
      const normal = /^[+-]?\d+,\d+$/.test(value) ? value.replace(',', '.') : value;
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(normal)) throw bad();
      return normal;
    }
    case 'date': {
      const iso = isoDateOf(value);
      if (!iso) throw bad();
      return iso;
    }
    case 'boolean':
      if (/^(true|t|1|có|yes)$/i.test(value)) return 't';
      if (/^(false|f|0|không|no)$/i.test(value)) return 'f';
      throw bad();
    default:
      return String(raw);
  }
}

const param = (column: ColumnRef, value: string | null) => sql`cast(${value} as ${castOf[column.type]})`;
const ident = (column: ColumnRef) => sql.identifier(column.id);

function filterCondition(columns: ColumnRef[], filter: RecordsRequest['filters'][number]): SQL {
  const column = resolve(columns, filter.field, 'filters');
  const values = filter.values.map((value) => typedValue(column, value));
  if (values.length === 0) throw new QueryError('datastore.bad_value', { field: column.id }, 'filters');
  const first = values[0];
  switch (filter.op) {
    case 'eq':
      if (values.length > 1) return inCondition(column, values);
      return first === null ? sql`${ident(column)} is null` : sql`${ident(column)} = ${param(column, first)}`;
    case 'in':
      return inCondition(column, values);
    case 'ne':
      return first === null ? sql`${ident(column)} is not null` : sql`${ident(column)} is distinct from ${param(column, first)}`;
    default: {
      if (first === null || values.length > 1) throw new QueryError('datastore.bad_value', { field: column.id }, 'filters');
      const operator = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[filter.op];
      return sql`${ident(column)} ${sql.raw(operator)} ${param(column, first)}`;
    }
  }
}

function inCondition(column: ColumnRef, values: Array<string | null>): SQL {
  if (values.length > 1000) throw new QueryError('datastore.too_many_values', { max: 1000 }, 'filters');
  const present = values.filter((value): value is string => value !== null);
  const parts: SQL[] = [];
  if (present.length > 0) parts.push(sql`${ident(column)} in (${sql.join(present.map((value) => param(column, value)), sql`, `)})`);
  if (present.length < values.length) parts.push(sql`${ident(column)} is null`);
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** The words of `q` folded as the site search folds them (at most 12). */
export function textWords(q: string): string[] {
  return fold(q).match(/[a-z0-9]+/g)?.slice(0, 12) ?? [];
}

/** `q` folded as the site search folds it; each word matches word starts ("ha noi" finds "Hà Nội"). */
export function textQuery(q: string): string | undefined {
  const words = textWords(q);
  return words.length > 0 ? words.map((word) => `${word}:*`).join(' & ') : undefined;
}

/** What ANALYZE keeps of the full-text index's expression (pg_stats of that index): its commonest words and their shares of the rows. */
export interface WordStats {
  elems: string[];
  freqs: number[];
}

/**
 * How far along the row numbers a `q` in row order should be read, checking rows until the page is
 * full, instead of through the full-text index, which fetches and sorts every matching row; or
 * undefined for the full-text index. The planner cannot tell: with fewer than 100 distinct words in
 * its statistics (tables of districts, names, a few phrases) PostgreSQL takes each prefix to match
 * 2 % of the rows whatever it is, so "nguyen thi hong" looked like 8 rows of 1M and matched 18,000
 * (p95 440 ms). Here a prefix's share is the sum of the shares of the words it starts (that list is
 * then every word, with its share). The query's share lies between its rarest word's (words
 * searched together are often a phrase: "tay son" is one district, a tenth of the rows) and the
 * product of its words' (independent words, as the planner takes them). The row-order scan checks
 * about wanted / share rows (folding each, 4 to 15 µs), the full-text path handles share × rows rows
 * (~1.5 µs each): worth trying when the rarest word's share² > 3 × wanted / rows, read up to
 * 4 × wanted / (the product) rows, and never beyond 4 × √(wanted × rows / 3) (23,000 rows of 1M for
 * 100 wanted), past which the full-text path costs less whatever the words: words that never meet
 * waste at most that, and the caller then asks the full-text index. With 100 words or more, the
 * planner's own estimate stands.
 */
export function rowOrderBound(words: string[], stats: WordStats | undefined, rows: number, wanted: number): number | undefined {
  if (!stats || stats.elems.length === 0 || stats.elems.length >= 100 || words.length === 0 || rows <= 0) return undefined;
  let rarest = 1;
  let together = 1;
  for (const word of words) {
    let matched = 0;
    stats.elems.forEach((elem, i) => {
      if (elem.startsWith(word)) matched += stats.freqs[i] ?? 0;
    });
    rarest = Math.min(rarest, matched);
    together *= Math.min(1, matched);
  }
  if (rarest * rarest <= (3 * wanted) / rows) return undefined;
  return Math.ceil(Math.min((4 * wanted) / together, 4 * Math.sqrt((wanted * rows) / 3)));
}

/**
 * The `q` condition: the expression the live table's full-text index holds, repeated word for word
 * so that the planner uses it; a table loaded before that index existed has a stored `_tsv` column.
 * While the index is being built (after the swap) or if it failed, 409 with a sentence: without it
 * every row would be folded and split for each query.
 */
function textCondition(fields: DatastoreField[], fullText: FullTextState, query: string): SQL {
  if (fullText === 'column') return sql`${sql.identifier(systemColumns.vector)} @@ to_tsquery('simple', ${query})`;
  if (fullText !== 'ready') throw new QueryError(fullText === 'failed' ? 'datastore.full_text_failed' : 'datastore.full_text_building', {}, 'q', 409);
  const vector = fullTextVectorSql(fields);
  return vector ? sql`${sql.raw(vector)} @@ to_tsquery('simple', ${query})` : sql`false`;
}

export function whereOf(columns: ColumnRef[], request: Pick<RecordsRequest, 'filters' | 'q'>, fullText: FullTextState = 'ready'): SQL[] {
  const conditions = request.filters.map((filter) => filterCondition(columns, filter));
  const query = request.q ? textQuery(request.q) : undefined;
  if (query) conditions.push(textCondition(columns.slice(1) as DatastoreField[], fullText, query));
  return conditions;
}

export interface SortKey {
  column: ColumnRef;
  desc: boolean;
}

function sortKeysOf(columns: ColumnRef[], sort: RecordsRequest['sort']): SortKey[] {
  const keys = sort.map((entry) => ({ column: resolve(columns, entry.field, 'sort'), desc: entry.desc }));
  // The row number last: one order for equal values, and a cursor that always moves.
  if (!keys.some((key) => key.column.id === systemColumns.id)) keys.push({ column: columns[0], desc: false });
  return keys;
}

/** The cursor after a row: its sort values, as text, base64url JSON. */
export function cursorOf(keys: SortKey[], row: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(keys.map((key) => (row[key.column.id] === null || row[key.column.id] === undefined ? null : String(row[key.column.id]))))).toString('base64url');
}

function decodeCursor(after: string, keys: SortKey[]): Array<string | null> {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    throw new QueryError('datastore.bad_cursor', {}, 'after');
  }
  if (!Array.isArray(values) || values.length !== keys.length || values.some((value) => value !== null && typeof value !== 'string')) {
    throw new QueryError('datastore.bad_cursor', {}, 'after');
  }
  return values.map((value, index) => typedValue(keys[index].column, value, 'after'));
}

/** Rows strictly after the cursor in the sort order (nulls last in both directions). */
function afterCondition(keys: SortKey[], values: Array<string | null>): SQL {
  const alternatives: SQL[] = [];
  keys.forEach((key, index) => {
    const value = values[index];
    if (value === null) return; // nothing sorts after a null, nulls being last
    const equalBefore = keys.slice(0, index).map((previous, j) => {
      const previousValue = values[j];
      return previousValue === null ? sql`${ident(previous.column)} is null` : sql`${ident(previous.column)} = ${param(previous.column, previousValue)}`;
    });
    const past = sql`${ident(key.column)} ${sql.raw(key.desc ? '<' : '>')} ${param(key.column, value)}`;
    // Without nulls, a plain range the column's index can start from.
    const beyond = key.column.nulls === false ? past : sql`(${past} or ${ident(key.column)} is null)`;
    alternatives.push(sql.join([...equalBefore, beyond], sql` and `));
  });
  if (alternatives.length === 0) return sql`false`;
  const any = sql`(${sql.join(alternatives.map((entry) => sql`(${entry})`), sql` or `)})`;
  // The same rows, plus a bound on the first key that lets its index start at the cursor.
  const first = keys[0];
  if (first.column.nulls !== false || values[0] === null) return any;
  return sql`(${ident(first.column)} ${sql.raw(first.desc ? '<=' : '>=')} ${param(first.column, values[0])} and ${any})`;
}

/** Columns as selected: everything but numbers' and dates' driver parsing, which differs between drivers. */
function selectList(columns: ColumnRef[]): SQL {
  return sql.join(
    columns.map((column) => (column.type === 'boolean' ? ident(column) : column.id === systemColumns.id ? ident(column) : sql`${ident(column)}::text as ${ident(column)}`)),
    sql`, `,
  );
}

export interface PreparedQuery {
  columns: ColumnRef[];
  select: SQL;
  count: SQL | null;
  keys: SortKey[];
}

/** The statements answering a request on `table` (schema datastore), its output columns and sort keys. */
export function prepareQuery(
  table: string,
  fields: DatastoreField[],
  request: RecordsRequest,
  fullText: FullTextState = 'ready',
  /** Only rows numbered up to this (rowOrderBound): the select only, not the count. */
  rowBound?: number,
): PreparedQuery {
  if (!Number.isInteger(request.limit) || request.limit < 0 || request.limit > maxLimit) throw new QueryError('datastore.bad_limit', { max: maxLimit }, 'limit');
  if (!Number.isInteger(request.offset) || request.offset < 0) throw new QueryError('datastore.bad_offset', {}, 'offset');
  const all = columnsOf(fields);
  const output = request.fields?.length ? dedupe(request.fields.map((name) => resolve(all, name, 'fields'))) : all;
  const keys = sortKeysOf(all, request.sort);
  const conditions = whereOf(all, request, fullText);
  if (request.after) conditions.push(afterCondition(keys, decodeCursor(request.after, keys)));
  if (rowBound !== undefined) conditions.push(sql`${ident(all[0])} <= ${Math.floor(rowBound)}`);
  const where = conditions.length > 0 ? sql` where ${sql.join(conditions, sql` and `)}` : sql``;
  // Aliased, so that ORDER BY names the table's column and not the selected text of the same name.
  const from = sql`${sql.identifier('datastore')}.${sql.identifier(table)} as ${sql.identifier('d')}`;
  // Sort keys are selected too (under their own names) so the cursor can be built from any row.
  const selected = dedupe([...output, ...keys.map((key) => key.column)]);
  const order = sql.join(keys.map((key) => sql`${sql.identifier('d')}.${ident(key.column)} ${sql.raw(orderOf(key))}`), sql`, `);
  const select = sql`select ${selectList(selected)} from ${from}${where} order by ${order} limit ${request.limit} offset ${request.offset}`;
  const countConditions = whereOf(all, request, fullText);
  const count = request.includeTotal
    ? sql`select count(*)::int as total from ${from}${countConditions.length > 0 ? sql` where ${sql.join(countConditions, sql` and `)}` : sql``}`
    : null;
  return { columns: output, select, count, keys };
}

/**
 * Nulls last in both directions, as the API promises. A column without nulls is sorted descending
 * in PostgreSQL's own way (nulls first: the same rows, the same order), because only that order can
 * be read backwards from the column's index: "desc nulls last" sorted every matching row (1.5 s at
 * 1M rows).
 */
function orderOf(key: SortKey): string {
  if (!key.desc) return 'asc nulls last';
  return key.column.nulls === false ? 'desc' : 'desc nulls last';
}

function dedupe(columns: ColumnRef[]): ColumnRef[] {
  return [...new Map(columns.map((column) => [column.id, column])).values()];
}

/** A row's values as JSON types: numbers as numbers (while exact), dates as ISO text. */
export function jsonValue(column: ColumnRef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (column.type === 'integer' || column.type === 'numeric') {
    const number = Number(value);
    // Up to 15 significant digits a double keeps exactly; longer values stay text.
    const digits = String(value).replace(/^[+-]?0*|[.]|e.*$/gi, '').length;
    return Number.isFinite(number) && (Number.isSafeInteger(number) || digits <= 15) ? number : String(value);
  }
  if (column.type === 'boolean') return value === true || value === 't';
  return String(value);
}
