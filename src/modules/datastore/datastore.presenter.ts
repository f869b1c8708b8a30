import Papa from 'papaparse';
import type { Translate } from '../../i18n/i18n.ts';
import { escapeXml } from '../../lib/xml.ts';
import type { ColumnRef } from './datastore.query.ts';
import type { RecordsResult } from './datastore.records.ts';
import type { DatastoreField, DatastoreTable } from './datastore.table.ts';

/** The type names clients see: CKAN's DataStore names, so CKAN tools read our fields. */
const ckanTypes: Record<ColumnRef['type'], string> = { integer: 'int', numeric: 'numeric', date: 'date', boolean: 'bool', text: 'text' };

export function presentFields(columns: ColumnRef[]) {
  return columns.map((column) => ({ id: column.id, type: ckanTypes[column.type], info: { label: column.label } }));
}

/** The Records API's JSON answer. `next` repeats the request with the cursor of the last row. */
export function presentRecords(result: RecordsResult, nextUrl: string | undefined) {
  return {
    resource_id: result.resourceId,
    fields: presentFields(result.columns),
    records: result.records,
    limit: result.limit,
    offset: result.offset,
    ...(result.total !== undefined ? { total: result.total } : {}),
    ...(result.nextAfter ? { next_after: result.nextAfter, _links: { next: nextUrl } } : {}),
  };
}

/** CSV for spreadsheets: a header of field ids, formulas neutralised. */
export function recordsAsCsv(result: RecordsResult): string {
  const rows = result.records.map((record) => result.columns.map((column) => record[column.id] ?? ''));
  return `\uFEFF${Papa.unparse({ fields: result.columns.map((column) => column.id), data: rows }, { escapeFormulae: true, newline: '\r\n' })}\r\n`;
}

/** XML: `<records>` of `<record>` elements, one child per field (ids are valid XML names). */
export function recordsAsXml(result: RecordsResult): string {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<records'];
  parts.push(` resource_id="${result.resourceId}" limit="${result.limit}" offset="${result.offset}"`);
  if (result.total !== undefined) parts.push(` total="${result.total}"`);
  if (result.nextAfter) parts.push(` next_after="${escapeXml(result.nextAfter)}"`);
  parts.push('>\n<fields>');
  for (const column of result.columns) parts.push(`<field id="${column.id}" type="${ckanTypes[column.type]}" label="${escapeXml(column.label)}"/>`);
  parts.push('</fields>\n');
  for (const record of result.records) {
    parts.push('<record>');
    for (const column of result.columns) {
      const value = record[column.id];
      parts.push(value === null || value === undefined ? `<${column.id}/>` : `<${column.id}>${escapeXml(String(value))}</${column.id}>`);
    }
    parts.push('</record>\n');
  }
  parts.push('</records>\n');
  return parts.join('');
}

/** The back office's view of a load: state, progress, the failing row and why, ragged rows. */
export function presentLoadStatus(table: DatastoreTable | null, t: Translate) {
  if (!table) return { state: 'none' as const, label: t('datastore.state_none') };
  const percent = table.loadTotal ? Math.min(100, Math.floor((table.loadRows / table.loadTotal) * 100)) : null;
  return {
    state: table.loadState,
    label: t(`datastore.state_${table.loadState}`),
    rows: table.loadRows,
    total: table.loadTotal,
    percent,
    attempts: table.loadAttempts,
    error: table.loadError
      ? { row: table.loadError.row ?? null, reason: t(table.loadError.reason, { ...(table.loadError.params ?? {}) }) }
      : null,
    raggedRows: table.loadWarnings?.raggedRows ?? 0,
    raggedRowNumbers: table.loadWarnings?.raggedRowNumbers ?? [],
    live: table.resourceId ? { rowCount: table.rowCount, loadedAt: table.loadedAt, columns: table.fields.length } : null,
    // Built after the swap, before full text: filters answer meanwhile, by scanning.
    indexes: table.resourceId ? { state: table.indexes, label: t(`datastore.indexes_state_${table.indexes}`) } : null,
    // Built after the swap; a table loaded before has its stored vector ('column'), as good as ready.
    fullText: table.resourceId ? { state: table.fullText === 'column' ? 'ready' : table.fullText, label: t(`datastore.full_text_state_${table.fullText === 'column' ? 'ready' : table.fullText}`) } : null,
  };
}

/** The "Data API" panel: the resource's address and example calls with its real column names. */
export function presentDataApi(baseUrl: string, resourceId: string, fields: DatastoreField[]) {
  const records = `${baseUrl}/api/v1/resources/${resourceId}/records`;
  const numeric = fields.find((field) => field.type === 'integer' || field.type === 'numeric');
  const text = fields.find((field) => field.type === 'text');
  const sortField = numeric ?? fields[0];
  const examples: Array<{ key: string; command: string }> = [{ key: 'datastore.example_first', command: `curl '${records}?limit=5'` }];
  if (text) {
    examples.push({ key: 'datastore.example_filter', command: `curl -G '${records}' --data-urlencode 'filters={"${text.id}":"…"}' -d limit=10` });
  }
  if (numeric) examples.push({ key: 'datastore.example_range', command: `curl '${records}?filter[${numeric.id}][gte]=100&sort=${numeric.id}%20desc&include_total=true'` });
  examples.push({ key: 'datastore.example_search', command: `curl -G '${records}' --data-urlencode 'q=…' -d fields=${[sortField, text].filter(Boolean).map((field) => field?.id).join(',') || '_id'}` });
  examples.push({ key: 'datastore.example_csv', command: `curl -H 'Accept: text/csv' '${records}?limit=32000' -o data.csv` });
  examples.push({ key: 'datastore.example_ckan', command: `curl '${baseUrl}/api/3/action/datastore_search?resource_id=${resourceId}&limit=5'` });
  return { records, examples, fields: fields.map((field) => ({ id: field.id, label: field.label, type: ckanTypes[field.type] })) };
}
