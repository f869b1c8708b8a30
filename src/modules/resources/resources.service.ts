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
  | { kind: 'link'; url: string; resource: Resource }
  | { kind: 'missing'; resourceId: string };

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
  const file = await storage.open(resource.storageKey);
  if (!file) return { kind: 'missing', resourceId };
  return { kind: 'file', resource, file };
}

/** The original upload of a re-encoded file of a published revision; not found when there is none. */
export async function downloadOriginal(db: Queryable, storage: FileStorage, datasetSlug: string, resourceId: string) {
  requireUuid(resourceId, 'errors.resource_not_found');
  const resource = await findPublishedResource(db, datasetSlug, resourceId);
  if (!resource?.originalStorageKey) throw notFound('errors.resource_not_found');
  const file = await storage.open(resource.originalStorageKey);
  if (!file) throw notFound('errors.file_missing');
  return { resource, file, fileName: originalFileName(resource) };
}
