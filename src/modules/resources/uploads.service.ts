import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Database } from '../../db/client.ts';
import { fieldError, notFound } from '../../lib/errors.ts';
import { type FileStorage, FileTooLargeError } from '../../storage/file-storage.ts';
import { extensionOf, normaliseFileName } from '../../storage/file-names.ts';
import { LocalFileStorage } from '../../storage/local-file-storage.ts';
import { type Actor, authorize } from '../accounts/permissions.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { loadDataset, openRevisionForEdit } from '../datasets/drafts.service.ts';
import type { LinkInput } from '../datasets/datasets.schemas.ts';
import type { CsvReport } from '../tabular/csv-inspect.ts';
import { detectFileType, FILE_TYPE_HEAD_BYTES } from '../tabular/file-type.ts';
import type { InspectFileInput } from '../tabular/inspect-file.ts';
import { JobStoppedError } from '../tabular/worker-pool.ts';
import { runFileJob } from '../previews/file-jobs.ts';
import { shortCell, type TableLimitError, type TableLimits } from '../tabular/table-limits.ts';
import type { XlsxReport } from '../tabular/xlsx-inspect.ts';
import {
  deleteResource,
  findLineageInRevision,
  insertResources,
  nextResourcePosition,
} from './resources.repository.ts';
import { deleteUnusedFiles } from './resource-files.ts';
import type { NewResource, Resource, ResourceInspection } from './resources.table.ts';

export interface UploadOptions {
  maxBytes: number;
  /** A local directory for the upload while it is checked; swept at start. */
  stagingDir: string;
  /** Caps on tables (the column cap is a setting); defaults from table-limits.ts otherwise. */
  tableLimits?: Partial<TableLimits>;
  /** Aborts the inspection (the officer's browser went away). */
  signal?: AbortSignal;
}

export interface IncomingFile {
  fileName: string;
  stream: Readable;
  name?: string;
  description?: string;
  /** Replace this resource of the revision (same lineage: the review shows "replaced"). */
  replaceResourceId?: string;
}

/** Problems that make a table unusable: the upload is refused, with the reason next to the field. */
const blockingProblems = new Set(['empty_file', 'no_rows']);

/**
 * Where a resource's files live: ids only. The uploaded name never reaches a path (a file named
 * `.. ` once became the dataset's folder and broke every later upload); the extension comes from
 * the detected format, so a stored file still says what it is.
 */
export function resourceStorageKeys(datasetId: string, format: string): { served: string; original: string } {
  const base = `resources/${datasetId}/${randomUUID()}`;
  const extension = format.toLowerCase().replace(/[^a-z0-9]/g, '') || 'bin';
  return { served: `${base}/data.${extension}`, original: `${base}/original.${extension}` };
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(FILE_TYPE_HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, FILE_TYPE_HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function toInspection(report: CsvReport | XlsxReport): ResourceInspection {
  return {
    columns: report.columns,
    previewRows: report.previewRows.slice(0, 20).map((cells) => cells.map(shortCell)),
    problems: report.problems,
    wrongColumnCountTotal: report.wrongColumnCountTotal,
    delimiter: 'delimiter' in report ? report.delimiter : undefined,
    sheetNames: 'sheetNames' in report ? report.sheetNames : undefined,
  };
}

/** The inspection, with a file beyond a limit or unreadable turned into a sentence for the officer. */
async function inspect(input: InspectFileInput, signal?: AbortSignal): Promise<CsvReport | XlsxReport> {
  try {
    // In a worker thread, with a heap cap and a time limit: see previews/file-jobs.ts.
    return (await runFileJob('inspect', input, { signal })) as CsvReport | XlsxReport;
  } catch (error) {
    if (error instanceof JobStoppedError && (error.reason === 'timeout' || error.reason === 'memory')) {
      throw fieldError('file', `uploads.limit_${error.reason}`);
    }
    const name = error instanceof Error ? error.name : '';
    if (name === 'TableLimitError') {
      const { code, params } = error as TableLimitError;
      if (code === 'xlsx_damaged') throw fieldError('file', 'uploads.xlsx_unreadable');
      throw fieldError('file', `uploads.limit_${code}`, 422, params);
    }
    if (name === 'XlsxUnreadableError') throw fieldError('file', 'uploads.xlsx_unreadable');
    throw error;
  }
}

function blockingProblem(report: CsvReport | XlsxReport): never | undefined {
  const problem = report.problems.find((item) => blockingProblems.has(item.code));
  if (problem) throw fieldError('file', `uploads.problem_${problem.code}`);
  return undefined;
}

/**
 * Receives a file for a dataset's revision in the works: streams it to a staging file (size-limited,
 * hashed), checks its type by content, inspects tables (encoding, delimiter, columns, personal data),
 * stores it, and only then records it in one transaction. Whatever fails, nothing half-done remains.
 */
export async function addUploadedFile(
  db: Database,
  storage: FileStorage,
  actor: Actor | null,
  datasetId: string,
  file: IncomingFile,
  options: UploadOptions,
): Promise<Resource> {
  // Refuse before reading a byte when the person may not edit this dataset.
  authorize(actor, 'dataset.edit', await loadDataset(db, datasetId));
  const fileName = normaliseFileName(file.fileName);
  await mkdir(options.stagingDir, { recursive: true });
  const staging = new LocalFileStorage(options.stagingDir);
  const stagedKey = randomUUID();
  const stagedPath = path.join(options.stagingDir, stagedKey);
  const normalisedPath = `${stagedPath}.utf8`;
  const storedKeys: string[] = [];
  const replacedKeys: Array<string | null> = [];
  try {
    try {
      await staging.put(stagedKey, file.stream, { maxBytes: options.maxBytes });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (error instanceof FileTooLargeError || code === 'FST_REQ_FILE_TOO_LARGE') {
        throw fieldError('file', 'uploads.too_large', 413, { max: Math.round(options.maxBytes / 1024 / 1024) });
      }
      throw error;
    }
    const detected = detectFileType(await readHead(stagedPath), fileName);
    if ('error' in detected) {
      throw fieldError('file', `uploads.type_${detected.error}`, 422, { expected: detected.expected ?? '', detected: detected.detected ?? '' });
    }

    const keys = resourceStorageKeys(datasetId, detected.format);
    // A name without an extension ("data", or one that was only dots) gets the detected format's.
    const downloadName = extensionOf(fileName) ? fileName : `${fileName}.${detected.format.toLowerCase()}`;
    // What is served: the upload itself, or its UTF-8 copy when it came in another encoding.
    let servedPath = stagedPath;
    let report: CsvReport | XlsxReport | null = null;
    let original: { key: string; encoding: string; sha256?: string } | null = null;
    if (detected.format === 'CSV' || detected.format === 'TSV') {
      const csv = (await inspect({ format: detected.format, stagedPath, normalisedPath, limits: options.tableLimits }, options.signal)) as CsvReport;
      blockingProblem(csv);
      report = csv;
      if (csv.encoding !== 'utf-8') {
        // Keep what the officer sent (e.g. Windows-1258), serve the UTF-8 copy.
        original = { key: keys.original, encoding: csv.encoding };
        original.sha256 = (await storage.put(original.key, createReadStream(stagedPath))).sha256;
        storedKeys.push(original.key);
        servedPath = normalisedPath;
      }
    } else if (detected.format === 'XLSX') {
      const xlsx = (await inspect({ format: 'XLSX', stagedPath, normalisedPath, limits: options.tableLimits }, options.signal)) as XlsxReport;
      blockingProblem(xlsx);
      report = xlsx;
    }
    const stored = await storage.put(keys.served, createReadStream(servedPath));
    storedKeys.push(stored.key);

    const saved = await db.transaction(async (tx) => {
      const dataset = await loadDataset(tx, datasetId, { forUpdate: true });
      authorize(actor, 'dataset.edit', dataset);
      const revision = await openRevisionForEdit(tx, actor, dataset);
      // The page may offer the public revision's file: its copy in the draft shares its lineage.
      const replaced = file.replaceResourceId ? await findLineageInRevision(tx, revision.id, dataset.id, file.replaceResourceId) : undefined;
      if (file.replaceResourceId && !replaced) throw notFound('errors.resource_not_found');
      const row: NewResource = {
        revisionId: revision.id,
        lineageId: replaced?.lineageId,
        position: replaced?.position ?? (await nextResourcePosition(tx, revision.id)),
        name: file.name?.trim() || replaced?.name || downloadName.replace(/\.[^.]+$/, ''),
        description: file.description?.trim() ?? replaced?.description ?? '',
        format: detected.format,
        mediaType: detected.mediaType,
        storageKey: stored.key,
        fileName: downloadName,
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        rowCount: report?.rowCount ?? null,
        originalStorageKey: original?.key ?? null,
        originalEncoding: original?.encoding ?? null,
        originalSha256: original?.sha256 ?? null,
        inspection: report ? toInspection(report) : null,
        piiFlags: report?.piiFlags ?? [],
      };
      if (replaced) await deleteResource(tx, replaced.id);
      const [resource] = await insertResources(tx, [row]);
      if (replaced) replacedKeys.push(replaced.storageKey, replaced.originalStorageKey);
      await recordAudit(tx, actor, {
        action: replaced ? 'resource.replace' : 'resource.upload',
        objectType: 'dataset',
        objectId: dataset.id,
        objectLabel: resource.name,
        details: { revision: revision.number, fileName: downloadName, sizeBytes: stored.sizeBytes, sha256: stored.sha256, piiFlags: resource.piiFlags.length },
      });
      return resource;
    });
    await deleteUnusedFiles(db, storage, replacedKeys);
    return saved;
  } catch (error) {
    // Nothing refers to a file stored for a failed upload: remove it.
    await Promise.all(storedKeys.map((key) => storage.delete(key)));
    throw error;
  } finally {
    await rm(stagedPath, { force: true });
    await rm(normalisedPath, { force: true });
  }
}

/** A link to an API or a file elsewhere (782 Art. 4: data sharing services). */
export async function addLink(db: Database, actor: Actor | null, datasetId: string, input: LinkInput): Promise<Resource> {
  return db.transaction(async (tx) => {
    const dataset = await loadDataset(tx, datasetId, { forUpdate: true });
    authorize(actor, 'dataset.edit', dataset);
    const revision = await openRevisionForEdit(tx, actor, dataset);
    const [resource] = await insertResources(tx, [
      {
        revisionId: revision.id,
        position: await nextResourcePosition(tx, revision.id),
        name: input.name,
        description: input.description,
        format: input.format,
        mediaType: 'text/uri-list',
        url: input.url,
        service: input.isService ? { docsUrl: input.docsUrl || null, accessConditions: input.accessConditions } : null,
      },
    ]);
    await recordAudit(tx, actor, { action: 'resource.link', objectType: 'dataset', objectId: dataset.id, objectLabel: input.name, details: { url: input.url } });
    return resource;
  });
}

/** Removes a file from the revision in the works; the stored file goes only if no revision uses it. */
export async function removeResource(db: Database, storage: FileStorage, actor: Actor | null, datasetId: string, resourceId: string) {
  const removed = await db.transaction(async (tx) => {
    const dataset = await loadDataset(tx, datasetId, { forUpdate: true });
    authorize(actor, 'dataset.edit', dataset);
    const revision = await openRevisionForEdit(tx, actor, dataset);
    // The officer clicked a file of the revision shown (the public one when no draft existed yet):
    // its copy in the draft just opened carries the same lineage.
    const resource = await findLineageInRevision(tx, revision.id, dataset.id, resourceId);
    if (!resource) throw notFound('errors.resource_not_found');
    await deleteResource(tx, resource.id);
    await recordAudit(tx, actor, { action: 'resource.remove', objectType: 'dataset', objectId: dataset.id, objectLabel: resource.name, details: { revision: revision.number } });
    return resource;
  });
  await deleteUnusedFiles(db, storage, [removed.storageKey, removed.originalStorageKey]);
  return removed;
}
