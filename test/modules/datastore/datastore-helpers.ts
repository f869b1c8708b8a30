import { createHash } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import { rowsOf } from '../../../src/db/client.ts';
import { datastoreTables } from '../../../src/modules/datastore/datastore.table.ts';
import { buildDataset, insertRevision, setPublishedRevision } from '../../helpers/factories.ts';
import { updateRevision } from '../../../src/modules/datasets/revisions.repository.ts';
import { copyResources, insertResources } from '../../../src/modules/resources/resources.repository.ts';
import type { Resource } from '../../../src/modules/resources/resources.table.ts';
import { inspectAndNormaliseCsv } from '../../../src/modules/tabular/csv-inspect.ts';
import type { TestApp } from '../../helpers/app.ts';

/** Inspects a CSV as an upload would, and stores what an upload stores (the UTF-8 copy when needed). */
async function inspectCsv(content: Buffer) {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  const report = await inspectAndNormaliseCsv(Readable.from([content]), sink);
  const stored = report.encoding === 'utf-8' ? content : Buffer.concat(chunks);
  return { report, stored };
}

function inspectionOf(report: Awaited<ReturnType<typeof inspectCsv>>['report']) {
  return {
    columns: report.columns,
    previewRows: report.previewRows.slice(0, 20),
    problems: report.problems,
    wrongColumnCountTotal: report.wrongColumnCountTotal,
    delimiter: report.delimiter,
  };
}

/** A published dataset whose one file is this CSV, inspected as an upload is. */
export async function publishCsv(test: TestApp, content: Buffer | string, fileName = 'bang.csv') {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  const { report, stored } = await inspectCsv(bytes);
  const built = await buildDataset(test.db, test.storage);
  const file = await test.storage.put(`resources/${built.dataset.id}/${createHash('sha1').update(bytes).digest('hex')}/${fileName}`, stored);
  const [resource] = await insertResources(test.db, [
    {
      revisionId: built.revision.id,
      name: fileName,
      format: 'CSV',
      mediaType: 'text/csv',
      storageKey: file.key,
      fileName,
      sizeBytes: file.sizeBytes,
      sha256: file.sha256,
      rowCount: report.rowCount,
      inspection: inspectionOf(report),
    },
  ]);
  return { ...built, resource, report };
}

/** A second revision of the dataset in which the file of `resource` is replaced by `content`; published at once. */
export async function publishReplacement(test: TestApp, published: Awaited<ReturnType<typeof publishCsv>>, content: string): Promise<Resource> {
  const { report, stored } = await inspectCsv(Buffer.from(content, 'utf8'));
  const revision = await insertRevision(test.db, {
    datasetId: published.dataset.id,
    number: 2,
    state: 'published',
    title: published.revision.title,
    description: published.revision.description,
    topicId: published.revision.topicId,
    publishedAt: new Date(),
  });
  const file = await test.storage.put(`resources/${published.dataset.id}/v2/bang.csv`, stored);
  const [resource] = await insertResources(test.db, [
    {
      revisionId: revision.id,
      lineageId: published.resource.lineageId,
      name: 'bang.csv',
      format: 'CSV',
      mediaType: 'text/csv',
      storageKey: file.key,
      fileName: 'bang.csv',
      sizeBytes: file.sizeBytes,
      sha256: file.sha256,
      rowCount: report.rowCount,
      inspection: inspectionOf(report),
    },
  ]);
  await updateRevision(test.db, published.revision.id, { state: 'superseded' });
  await setPublishedRevision(test.db, published.dataset.id, revision.id, new Date());
  return resource;
}

export async function tableState(test: TestApp, lineageId: string) {
  const [row] = await test.db.select().from(datastoreTables).where(eq(datastoreTables.lineageId, lineageId));
  return row;
}

/** Tables in schema datastore, by name. */
export async function datastoreRelations(test: TestApp): Promise<string[]> {
  const rows = rowsOf<{ name: string }>(await test.db.execute(sql`select table_name as name from information_schema.tables where table_schema = 'datastore' order by 1`));
  return rows.map((row) => row.name);
}

/** The indexes of a table of the datastore schema, by name. */
export async function indexesOf(test: TestApp, table: string): Promise<string[]> {
  const rows = rowsOf<{ name: string }>(await test.db.execute(sql`select indexname as name from pg_indexes where schemaname = 'datastore' and tablename = ${table} order by 1`));
  return rows.map((row) => row.name);
}

export async function records(app: FastifyInstance, resourceId: string, query = '') {
  const response = await app.inject({ method: 'GET', url: `/api/v1/resources/${resourceId}/records${query ? `?${query}` : ''}` });
  return { status: response.statusCode, body: String(response.headers['content-type'] ?? '').includes('json') ? response.json() : response.body, response };
}

/** Waits for a condition the job runner will bring about (polling; no timing is asserted). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, seconds = 30): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export { PassThrough, copyResources };
