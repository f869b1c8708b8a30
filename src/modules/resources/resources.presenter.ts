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
