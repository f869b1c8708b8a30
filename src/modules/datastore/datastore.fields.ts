import { fold } from '../../lib/fold.ts';
import { guessNumberStyle, type NumberStyle } from '../previews/numbers.ts';
import type { ColumnType } from '../tabular/csv-inspect.ts';
import type { DatastoreField, DatastoreFieldType } from './datastore.table.ts';

/** Columns every loaded table has besides the file's own; file headers never take these names. */
export const systemColumns = { id: '_id', extra: '_extra', search: '_search', vector: '_tsv' } as const;

const maxIdentifierBytes = 60; // PostgreSQL cuts identifiers at 63 bytes; leave room for a "_2" suffix

// Search text and column names fold like everything else (src/lib/fold.ts).
export { fold };

/**
 * SQL names for a file's headers: folded to ASCII snake case ("Số hộ nghèo (2024)" → so_ho_ngheo_2024),
 * never starting with "_" (the table's own columns), unique, and never empty. The header is kept as
 * the field's label.
 */
export function fieldsFromColumns(columns: Array<{ name: string; type: ColumnType }>): DatastoreField[] {
  const taken = new Set<string>(Object.values(systemColumns));
  return columns.map((column, index) => {
    let base = fold(column.name)
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, maxIdentifierBytes);
    if (base === '') base = `cot_${index + 1}`;
    if (/^\d/.test(base)) base = `c_${base}`.slice(0, maxIdentifierBytes);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    return { id, label: column.name, type: fieldTypeOf(column.type) };
  });
}

function fieldTypeOf(type: ColumnType): DatastoreFieldType {
  if (type === 'integer') return 'integer';
  if (type === 'number') return 'numeric';
  if (type === 'date' || type === 'boolean') return type;
  return 'text';
}

/** `"name"` with quotes doubled: the only way identifiers reach SQL, and only ours (sanitised) do. */
export const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * A row's full-text vector: its text cells folded as the site search folds them (portal_unaccent,
 * IMMUTABLE so that an index can hold it; 'simple' lowers the words). The live table's GIN index is
 * on this expression and `q` queries repeat it word for word, so that the planner uses that index.
 * Only text is searched; numbers and dates have filters. Null for a table without text columns.
 */
export function fullTextVectorSql(fields: Array<{ id: string; type: DatastoreFieldType }>): string | null {
  // The extra cells of long rows are not searched (they were not before either).
  const text = fields.filter((field) => field.type === 'text' && field.id !== systemColumns.extra);
  if (text.length === 0) return null;
  // `||` with coalesce, not concat_ws (STABLE, refused in an index expression).
  const joined = text.map((field) => `coalesce(${quoteIdentifier(field.id)}, '')`).join(` || ' ' || `);
  return `to_tsvector('simple'::regconfig, portal_unaccent(${joined}))`;
}

export const sqlTypeOf: Record<DatastoreFieldType, string> = {
  integer: 'bigint',
  numeric: 'numeric',
  date: 'date',
  boolean: 'boolean',
  text: 'text',
};

/** A cell that does not fit its column: the load stops at its row. */
export class CellError extends Error {
  constructor(
    readonly reason: string,
    readonly value: string,
  ) {
    super(reason);
  }
}

const integerPattern = /^[+-]?\d{1,18}$/;
/** Cells read as yes or no, lower-cased: the JavaScript converter and the SQL one (datastore.loader.ts) both use these. */
export const trueWords: ReadonlySet<string> = new Set(['có', 'true', 'x', 'đúng', 'yes']);
export const falseWords: ReadonlySet<string> = new Set(['không', 'false', 'sai', 'no']);

/** d/m/yyyy, yyyy-mm-dd or m/yyyy as an ISO date, only if the day exists (31/02 does not). */
export function isoDateOf(value: string): string | undefined {
  const dayFirst = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const monthYear = /^(\d{1,2})\/(\d{4})$/.exec(value);
  let parts: [number, number, number] | undefined;
  if (dayFirst) parts = [Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1])];
  else if (iso) parts = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (monthYear) parts = [Number(monthYear[2]), Number(monthYear[1]), 1];
  if (!parts) return undefined;
  const [year, month, day] = parts;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Decimal comma or point, Vietnamese or English grouping, read with the column's style. */
function numericOf(value: string, style: NumberStyle): string | undefined {
  const integer = /^[+-]?\d+$/;
  if (integer.test(value)) return value;
  const vi = /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+,\d+$/;
  const en = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$|^[+-]?\d+\.\d+$/;
  const readVi = () => (vi.test(value) ? value.replace(/\./g, '').replace(',', '.') : undefined);
  const readEn = () => (en.test(value) ? value.replace(/,/g, '') : undefined);
  return style === 'vi' ? (readVi() ?? readEn()) : (readEn() ?? readVi());
}

/** Turns a cell into the text PostgreSQL reads for the column (null for an empty cell), or throws CellError. */
export type CellConverter = (raw: string) => string | null;

export function converterFor(field: DatastoreField, sample: string[]): CellConverter {
  switch (field.type) {
    case 'integer':
      return (raw) => {
        const value = raw.trim();
        if (value === '') return null;
        if (!integerPattern.test(value)) throw new CellError('datastore.cell_not_integer', raw);
        return value;
      };
    case 'numeric': {
      // Exact decimal text, never through a float: 1.234.567,89 stays 1234567.89.
      const style = guessNumberStyle(sample.filter((value) => value.trim() !== ''));
      return (raw) => {
        const value = raw.trim();
        if (value === '') return null;
        const text = numericOf(value, style);
        if (text === undefined) throw new CellError('datastore.cell_not_number', raw);
        return text;
      };
    }
    case 'date':
      return (raw) => {
        const value = raw.trim();
        if (value === '') return null;
        const iso = isoDateOf(value);
        if (!iso) throw new CellError('datastore.cell_not_date', raw);
        return iso;
      };
    case 'boolean':
      return (raw) => {
        const value = raw.trim().toLowerCase();
        if (value === '') return null;
        if (trueWords.has(value)) return 't';
        if (falseWords.has(value)) return 'f';
        throw new CellError('datastore.cell_not_boolean', raw);
      };
    default:
      // An empty cell is null in every type, so `filters: {"x": null}` finds the blanks.
      return (raw) => (raw.trim() === '' ? null : raw);
  }
}
