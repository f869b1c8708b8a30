import { Readable } from 'node:stream';
import { type SQL, sql } from 'drizzle-orm';
import Papa from 'papaparse';
import { type Database, type Queryable, rowsOf } from '../../db/client.ts';
import type { Resource } from '../resources/resources.table.ts';
import { findTable } from './datastore.repository.ts';
import type { DatastoreField, DatastoreTable } from './datastore.table.ts';

/**
 * A loaded table read in place of its file, for previews, charts, maps and conversions: the file
 * is not parsed again, and a chart is one GROUP BY over the whole table instead of a file pass.
 */

/** The live table of the resource's lineage when it holds this very file (same bytes), else undefined. */
export async function loadedTableOf(db: Queryable, resource: Pick<Resource, 'lineageId' | 'sha256'>): Promise<DatastoreTable | undefined> {
  if (!resource.sha256) return undefined;
  const table = await findTable(db, resource.lineageId);
  // A newer file still loading, or an older revision's page: the live table is another file.
  return table?.resourceId && table.sourceSha256 === resource.sha256 ? table : undefined;
}

/** The file's own columns (`_extra`, the cells of long rows, is not one). */
const fileFields = (table: DatastoreTable) => table.fields.filter((field) => field.id !== '_extra');

const from = (table: DatastoreTable) => sql`${sql.identifier('datastore')}.${sql.identifier(table.tableName)}`;

/** A cell as text: numbers and dates as PostgreSQL writes them (1234.5, 2024-03-15), yes/no as true/false. */
function cellText(field: DatastoreField): SQL {
  const column = sql.identifier(field.id);
  if (field.type === 'boolean') return sql`case when ${column} then 'true' when not ${column} then 'false' end`;
  return sql`${column}::text`;
}

/** Thrown when the table was swapped for another file while it was read: the answer is cut short. */
export class TableReplacedError extends Error {}

/**
 * The table as a CSV (header: the file's own header names), read page by page in row order by its
 * primary key, so a large table never sits in memory and no transaction stays open while a slow
 * client downloads. A swap in the meantime (the rows come from another table) stops the stream.
 */
export function tableCsv(db: Queryable, table: DatastoreTable, options: { pageRows?: number } = {}): Readable {
  const fields = fileFields(table);
  const pageRows = options.pageRows ?? 5_000;
  const list = sql.join([sql`"_id"`, sql`tableoid::int as "_table"`, ...fields.map((field, i) => sql`${cellText(field)} as ${sql.identifier(`c${i}`)}`)], sql`, `);
  async function* csv() {
    yield `${Papa.unparse([fields.map((field) => field.label)], { newline: '\r\n' })}\r\n`;
    let after = 0;
    let tableId: number | undefined;
    for (;;) {
      const rows = rowsOf<Record<string, string | number | null>>(
        await db.execute(sql`select ${list} from ${from(table)} where "_id" > ${after} order by "_id" limit ${pageRows}`),
      );
      if (rows.length === 0) return;
      tableId ??= Number(rows[0]._table);
      if (Number(rows[0]._table) !== tableId) throw new TableReplacedError('the table was replaced while it was read');
      yield `${Papa.unparse(
        rows.map((row) => fields.map((_, i) => (row[`c${i}`] ?? '') as string)),
        { newline: '\r\n' },
      )}\r\n`;
      after = Number(rows[rows.length - 1]._id);
      if (rows.length < pageRows) return;
    }
  }
  return Readable.from(csv());
}

export type TableChart =
  | { error: 'unknown_column' | 'not_numeric' }
  | { points: Array<{ x: string; y: number }>; skippedRows: number; truncated?: boolean };

/** A header name as the file chart finds it: exact first, then ignoring case and composition. */
function fieldNamed(fields: DatastoreField[], name: string): DatastoreField | undefined {
  const fold = (text: string) => text.trim().normalize('NFC').toLowerCase();
  return fields.find((field) => field.label === name.trim()) ?? fields.find((field) => fold(field.label) === fold(name));
}

/**
 * Sum of `y` by `x` over the whole table in one query, as aggregateForChart sums a file: x trimmed,
 * rows with an empty x or y skipped, x values in the order they first appear (numeric order when
 * they are all whole numbers), at most `maxPoints` of them. `y` must be a number column.
 */
export async function chartFromTable(db: Database, table: DatastoreTable, xName: string, yName: string, maxPoints = 500): Promise<TableChart> {
  const fields = fileFields(table);
  const x = fieldNamed(fields, xName);
  const y = fieldNamed(fields, yName);
  if (!x || !y) return { error: 'unknown_column' };
  if (y.type !== 'integer' && y.type !== 'numeric') return { error: 'not_numeric' };
  return db.transaction(async (tx) => {
    // The file chart has a time limit in its worker; the table's has one in PostgreSQL.
    await tx.execute(sql.raw(`set local statement_timeout = ${chartTimeoutMs}`));
    return sumByX(tx, table, x, y, maxPoints);
  });
}

const chartTimeoutMs = 20_000;

async function sumByX(db: Queryable, table: DatastoreTable, x: DatastoreField, y: DatastoreField, maxPoints: number): Promise<TableChart> {
  const xText = sql`nullif(btrim(${cellText(x)}), '')`;
  const yColumn = sql.identifier(y.id);
  const [groups, [counts]] = await Promise.all([
    db.execute(
      sql`select ${xText} as x, sum(${yColumn})::text as y from ${from(table)} where ${xText} is not null and ${yColumn} is not null group by 1 order by min("_id") limit ${maxPoints + 1}`,
    ),
    db.execute(sql`select count(*)::int as total, count(*) filter (where ${xText} is not null and ${yColumn} is not null)::int as counted from ${from(table)}`).then((result) =>
      rowsOf<{ total: number; counted: number }>(result),
    ),
  ]);
  const rows = rowsOf<{ x: string; y: string }>(groups);
  const truncated = rows.length > maxPoints;
  // toPrecision(15), as the file chart: a double cannot hold more, and it hides binary rounding.
  const points = rows.slice(0, maxPoints).map((row) => ({ x: row.x, y: Number(Number(row.y).toPrecision(15)) }));
  if (points.every((point) => /^[+-]?\d+$/.test(point.x))) points.sort((a, b) => Number(a.x) - Number(b.x));
  // Rows in groups beyond maxPoints are skipped too, as the file chart skips them.
  let skippedRows = Number(counts?.total ?? 0) - Number(counts?.counted ?? 0);
  if (truncated) {
    const [kept] = rowsOf<{ rows: number }>(
      await db.execute(
        sql`select count(*)::int as rows from ${from(table)} where ${xText} in (${sql.join(
          points.map((point) => sql`${point.x}`),
          sql`, `,
        )}) and ${yColumn} is not null`,
      ),
    );
    skippedRows = Number(counts?.total ?? 0) - Number(kept?.rows ?? 0);
  }
  return truncated ? { points, skippedRows, truncated } : { points, skippedRows };
}
