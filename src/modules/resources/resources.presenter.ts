import type { Resource } from './resources.table.ts';

export interface ResourceView {
  id: string;
  name: string;
  description: string;
  format: string;
  sizeBytes: number | null;
  rowCount: number | null;
  sha256: string | null;
  isLink: boolean;
  /** Where the visitor gets it: our download URL for a file, the external address for a link. */
  href: string;
}

export function downloadPath(datasetSlug: string, resource: Pick<Resource, 'id' | 'fileName'>): string {
  const name = resource.fileName ? `/${encodeURIComponent(resource.fileName)}` : '';
  return `/dataset/${datasetSlug}/resource/${resource.id}/download${name}`;
}

/** "truong-thpt.csv" uploaded in Windows-1258 → "truong-thpt.goc-windows-1258.csv": the name says what it is. */
export function originalFileName(resource: Pick<Resource, 'id' | 'fileName' | 'format' | 'originalEncoding'>): string {
  const name = resource.fileName ?? `${resource.id}.${resource.format.toLowerCase()}`;
  const encoding = (resource.originalEncoding ?? 'original').toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}.goc-${encoding}${name.slice(dot)}` : `${name}.goc-${encoding}`;
}

/** The original upload of a file the portal re-encoded to UTF-8, or null when the file is as uploaded. */
export function originalDownload(datasetSlug: string, resource: Pick<Resource, 'id' | 'fileName' | 'format' | 'originalEncoding' | 'originalStorageKey'>) {
  if (!resource.originalStorageKey) return null;
  return {
    href: `/dataset/${datasetSlug}/resource/${resource.id}/original/${encodeURIComponent(originalFileName(resource))}`,
    encoding: resource.originalEncoding ?? '',
  };
}

export function presentResource(datasetSlug: string, resource: Resource): ResourceView {
  const isLink = !resource.storageKey && Boolean(resource.url);
  return {
    id: resource.id,
    name: resource.name,
    description: resource.description,
    format: resource.format,
    sizeBytes: resource.sizeBytes,
    rowCount: resource.rowCount,
    sha256: resource.sha256,
    isLink,
    href: isLink ? (resource.url as string) : downloadPath(datasetSlug, resource),
  };
}
