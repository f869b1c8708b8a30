import { slugify } from '../../lib/slug.ts';
import { downloadPath } from '../resources/resources.presenter.ts';
import type { Resource } from '../resources/resources.table.ts';
import type { ColumnType } from '../tabular/csv-inspect.ts';
import type { PackageRow } from '../ckan-api/ckan.repository.ts';

/**
 * A Frictionless Data Package (v1) for one dataset: each tabular file becomes a Tabular Data
 * Resource with the Table Schema found when it was uploaded (column names and types).
 */

const tableSchemaType: Record<ColumnType, string> = {
  integer: 'integer',
  number: 'number',
  date: 'date',
  boolean: 'boolean',
  text: 'string',
  empty: 'any',
};

function resourceName(resource: Resource, taken: Set<string>): string {
  // Frictionless names: lower case, digits, "-", "_", "."; unique within the package.
  const base = slugify(resource.name) || 'resource';
  let name = base;
  for (let suffix = 2; taken.has(name); suffix++) name = `${base}-${suffix}`;
  taken.add(name);
  return name;
}

export function dataPackage(baseUrl: string, row: PackageRow, resources: Resource[], defaultLicence: { path: string; title: string }) {
  const taken = new Set<string>();
  return {
    profile: 'data-package',
    name: row.dataset.slug,
    id: row.dataset.id,
    title: row.revision.title,
    description: row.revision.description,
    homepage: `${baseUrl}/dataset/${row.dataset.slug}`,
    version: String(row.revision.number),
    created: (row.dataset.firstPublishedAt ?? row.dataset.createdAt).toISOString(),
    keywords: row.revision.tags,
    licenses: [/^https?:\/\//.test(row.revision.licence) ? { path: row.revision.licence, title: row.revision.licence } : { ...defaultLicence, ...(row.revision.licence ? { title: row.revision.licence } : {}) }],
    sources: [{ title: row.agency.name, path: `${baseUrl}/organization/${row.agency.slug}` }],
    resources: resources.map((resource) => {
      const columns = resource.inspection?.columns ?? [];
      const tabular = columns.length > 0 && (resource.format === 'CSV' || resource.format === 'TSV');
      return {
        name: resourceName(resource, taken),
        title: resource.name,
        ...(resource.description ? { description: resource.description } : {}),
        path: resource.storageKey ? `${baseUrl}${downloadPath(row.dataset.slug, resource)}` : (resource.url ?? ''),
        format: resource.format.toLowerCase(),
        mediatype: resource.storageKey ? resource.mediaType : undefined,
        ...(resource.sizeBytes !== null ? { bytes: resource.sizeBytes } : {}),
        ...(resource.sha256 ? { hash: `sha256:${resource.sha256}` } : {}),
        ...(tabular
          ? {
              profile: 'tabular-data-resource',
              // Served files are UTF-8: a file sent in another encoding is served converted.
              encoding: 'utf-8',
              dialect: { delimiter: resource.inspection?.delimiter ?? ',', header: true },
              schema: { fields: columns.map((column) => ({ name: column.name, type: tableSchemaType[column.type] ?? 'any' })) },
            }
          : { profile: 'data-resource' }),
      };
    }),
  };
}
