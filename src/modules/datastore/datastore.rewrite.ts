import { Transform } from 'node:stream';
import type { NumberStyle } from '../previews/numbers.ts';
import type { CellConverter } from './datastore.fields.ts';

/**
 * How a column's cells are rewritten: numbers by their style, on the bytes (rewriteNumber); the
 * rarer yes/no and month/year cells by the exact rule itself (datastore.fields.ts's converter),
 * on the cell decoded, which must give ASCII text (t, f, yyyy-mm-dd).
 */
export type CellRewrite = NumberStyle | CellConverter;

/**
 * A cell of a rewritten column that the exact rule does not read (a word, a stray mark, a number
 * too long for this pass): the direct COPY stops and the load takes the staging path, which reads
 * the file again and names the row and the reason.
 */
export class CellNotRewritable extends Error {}

const quote = 0x22;
const lf = 0x0a;
const cr = 0x0d;
const plus = 0x2b;
const minus = 0x2d;
const comma = 0x2c;
const point = 0x2e;
const zero = 0x30;
const nine = 0x39;
/** The longest cell this pass reads; a longer one goes to the staging path. */
const maxCell = 64;

/** The ASCII characters JavaScript's trim() removes (the rule trims before reading); other blanks are left to the staging path. */
const isBlank = (byte: number) => byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);

/**
 * A number cell (trimmed, unquoted) by the rule of datastore.fields.ts's numericOf for the column's
 * style, written into `out` at `at` as numeric_in reads it: an integer as it is; Vietnamese
 * (1.234.567,89 or 12,5) without its points and with its comma as a point; English (1,234.5 or
 * 12.5) without its commas. Digits only, never through a float. Returns the new end of `out`, or
 * -1 when the rule would not read the cell. An empty cell writes nothing: null.
 */
export function rewriteNumber(cell: Uint8Array, start: number, end: number, style: NumberStyle, out: Uint8Array, at: number): number {
  while (start < end && isBlank(cell[start])) start++;
  while (end > start && isBlank(cell[end - 1])) end--;
  if (start === end) return at;
  let i = start;
  const signed = cell[i] === plus || cell[i] === minus;
  if (signed) i++;
  // Digit groups and the one-character marks between them: "1.234,5" is groups 1|234|5, marks .|,
  let marks = 0;
  while (true) {
    const from = i;
    while (i < end && cell[i] >= zero && cell[i] <= nine) i++;
    if (i === from) return -1;
    groupLengths[marks] = i - from;
    if (i === end) break;
    if (cell[i] !== point && cell[i] !== comma) return -1;
    markOf[marks++] = cell[i++];
  }
  let drop = -1;
  let decimal = -1;
  if (marks > 0) {
    const vi = readsAs(marks, point, comma);
    const en = readsAs(marks, comma, point);
    if (style === 'vi' ? vi : vi && !en) {
      drop = point;
      decimal = comma;
    } else if (en) {
      drop = comma;
      decimal = point;
    } else return -1;
  }
  if (signed) out[at++] = cell[start];
  for (let j = signed ? start + 1 : start; j < end; j++) {
    const byte = cell[j];
    if (byte === drop) continue;
    out[at++] = byte === decimal ? point : byte;
  }
  return at;
}

/** Group lengths and marks of the cell rewriteNumber reads (a cell has at most maxCell of them). */
const groupLengths = new Int32Array(maxCell);
const markOf = new Int32Array(maxCell);

/**
 * Whether the groups and marks read in this style: grouped (1 to 3 digits, then `group` and three
 * digits once or more, then perhaps `decimal` and digits) or a plain decimal (digits `decimal` digits).
 */
function readsAs(marks: number, group: number, decimal: number): boolean {
  if (marks === 1 && markOf[0] === decimal) return true;
  if (groupLengths[0] > 3) return false;
  let k = 0;
  while (k < marks && markOf[k] === group && groupLengths[k + 1] === 3) k++;
  if (k === 0) return false;
  return k === marks || (k === marks - 1 && markOf[k] === decimal);
}

/**
 * Between the stored file (UTF-8, BOM gone) and `COPY … FORMAT csv` into the typed table: rewrites
 * the cells of the columns given a rewrite (CellRewrite) and passes every other byte through as it
 * is, header included. It follows CSV as PostgreSQL's reader does: a quote anywhere toggles quoting
 * (a doubled quote toggles twice), and the delimiter, CR and LF count only outside quotes. A
 * rewritten cell is written unquoted (digits, sign, point, dashes, t or f need no quotes). A cell
 * the rule does not read fails the stream with CellNotRewritable. Works on the bytes: no string per
 * row, nor per cell of a column left as it is or of numbers.
 */
export function cellRewrite(delimiter: string, rewrites: Array<CellRewrite | undefined>): Transform {
  const separator = delimiter.charCodeAt(0);
  const rewritten = rewrites.map((rewrite) => rewrite !== undefined);
  const lastRewritten = rewritten.lastIndexOf(true);
  // A number only gets shorter; a converter's value may be longer than its cell (1/2024 is
  // 2024-01-01), never twice as long with its delimiter.
  const growth = rewrites.some((rewrite) => typeof rewrite === 'function') ? 2 : 1;
  // Where the file is, kept across chunks: in the header, which field, inside quotes, inside a cell to rewrite.
  let header = true;
  let fieldAt = 0;
  let inQuoteAt = false;
  let targetAt = false;
  // The cell being rewritten, as the file wrote it (quotes included).
  const cell = Buffer.alloc(maxCell);
  let cellLength = 0;
  let cellQuotes = 0;

  /** Writes the cell's value (without its quotes, which must be one pair around it all) into `out`; -1 if the rule does not read it. */
  const finishCell = (field: number, out: Uint8Array, at: number): number => {
    let start = 0;
    let end = cellLength;
    const quotes = cellQuotes;
    cellLength = 0;
    cellQuotes = 0;
    if (quotes === 2 && cell[0] === quote && cell[end - 1] === quote) {
      start = 1;
      end--;
    } else if (quotes !== 0) return -1;
    const rewrite = rewrites[field] as CellRewrite;
    if (typeof rewrite === 'string') return rewriteNumber(cell, start, end, rewrite, out, at);
    let value: string | null;
    try {
      value = rewrite(cell.toString('utf8', start, end));
    } catch {
      return -1;
    }
    if (value === null) return at;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code > 0x7e || code === quote || code === 0x2c || code === 0x3b) return -1;
      out[at++] = code;
    }
    return at;
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const out = Buffer.allocUnsafe(chunk.length * growth + maxCell);
      let at = 0;
      // Start of the bytes passed through as they are, not yet copied to `out`.
      let run = 0;
      const length = chunk.length;
      // The state in locals while the chunk is read (written back below): a closure's variables cost more.
      let inQuote = inQuoteAt;
      let field = fieldAt;
      let target = targetAt;
      let i = 0;
      while (i < length) {
        if (!target && !inQuote && field > lastRewritten) {
          // The rest of a row after its last rewritten field: only a quote or the row's end matters.
          let byte = chunk[i];
          while (byte !== lf && byte !== quote && byte !== cr && ++i < length) byte = chunk[i];
          if (i === length) break;
        }
        const byte = chunk[i];
        if (target) {
          if (!inQuote && (byte === separator || byte === lf || byte === cr)) {
            at = finishCell(field, out, at);
            if (at < 0) return callback(new CellNotRewritable());
            target = false;
            run = i;
            // On to the field and row bookkeeping below.
          } else {
            if (byte === quote) {
              inQuote = !inQuote;
              cellQuotes++;
            }
            if (cellLength === maxCell) return callback(new CellNotRewritable());
            cell[cellLength++] = byte;
            i++;
            continue;
          }
        }
        i++;
        if (byte === quote) {
          inQuote = !inQuote;
          continue;
        }
        if (inQuote) continue;
        if (byte === separator) field++;
        else if (byte === lf || byte === cr) {
          header = false;
          field = 0;
        } else continue;
        if (!header && rewritten[field]) {
          // The next byte starts a cell to rewrite: what came before goes out as it is.
          chunk.copy(out, at, run, i);
          at += i - run;
          target = true;
        }
      }
      if (!target) {
        chunk.copy(out, at, run, length);
        at += length - run;
      }
      inQuoteAt = inQuote;
      fieldAt = field;
      targetAt = target;
      callback(null, out.subarray(0, at));
    },
    flush(callback) {
      // A last row without a line break.
      if (!targetAt) return callback();
      const out = Buffer.allocUnsafe(maxCell);
      const at = finishCell(fieldAt, out, 0);
      if (at < 0) return callback(new CellNotRewritable());
      callback(null, out.subarray(0, at));
    },
  });
}
