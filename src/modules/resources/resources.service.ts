import type { Readable } from 'node:stream';
import type { Queryable } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { requireUuid } from '../../lib/ids.ts';
import type { FileStorage } from '../../storage/file-storage.ts';
import { originalFileName } from './resources.presenter.ts';
import { findPublishedResource } from './resources.repository.ts';
import type { Resource } from './resources.table.ts';

export type Download =
  | { kind: 'file'; resource: Resource; file: { stream: Readable; sizeBytes: number } }
  // `expiring`: a presigned link to the object store, which no cache may keep.
  | { kind: 'link'; url: string; resource: Resource; expiring?: boolean }
  | { kind: 'missing'; resourceId: string };

/** CSVs get a UTF-8 byte-order mark on the way out (excel-bom.ts), so they always stream through the node. */
export const getsUtf8Bom = (mediaType: string) => mediaType === 'text/csv';

const servedType = (mediaType: string) => (/^text\/|json|xml|csv/.test(mediaType) ? `${mediaType}; charset=utf-8` : mediaType);

/** A file of a published revision, opened for streaming; anything unpublished is simply not found. */
export async function downloadResource(
  db: Queryable,
  storage: FileStorage,
  datasetSlug: string,
  resourceId: string,
): Promise<Download> {
  requireUuid(resourceId, 'errors.resource_not_found');
  const resource = await findPublishedResource(db, datasetSlug, resourceId);
  if (!resource) throw notFound('errors.resource_not_found');
  if (!resource.storageKey) {
    if (resource.url) return { kind: 'link', url: resource.url, resource };
    return { kind: 'missing', resourceId };
  }
  // A file sent as stored need not pass through this node: the store serves it on a signed link.
  if (!getsUtf8Bom(resource.mediaType) && storage.downloadUrl) {
    const fileName = resource.fileName ?? `${resource.id}.${resource.format.toLowerCase()}`;
    const url = await storage.downloadUrl(resource.storageKey, { fileName, contentType: servedType(resource.mediaType) });
    if (url) return { kind: 'link', url, resource, expiring: true };
  }
  const file = await storage.open(resource.storageKey);
  if (!file) return { kind: 'missing', resourceId };
  return { kind: 'file', resource, file };
}

/** The original upload of a re-encoded file of a published revision; not found when there is none. */
export async function downloadOriginal(db: Queryable, storage: FileStorage, datasetSlug: string, resourceId: string) {
  requireUuid(resourceId, 'errors.resource_not_found');
  const resource = await findPublishedResource(db, datasetSlug, resourceId);
  if (!resource?.originalStorageKey) throw notFound('errors.resource_not_found');
  const fileName = originalFileName(resource);
  // The original goes out byte for byte: a presigned link when the storage gives one.
  const url = (await storage.downloadUrl?.(resource.originalStorageKey, { fileName, contentType: resource.mediaType })) ?? null;
  if (url) return { resource, fileName, url, file: null };
  const file = await storage.open(resource.originalStorageKey);
  if (!file) throw notFound('errors.file_missing');
  return { resource, file, fileName, url: null };
}
