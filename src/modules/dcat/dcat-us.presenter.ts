import { vietnamDay } from '../../lib/calendar.ts';
import { downloadPath } from '../resources/resources.presenter.ts';
import type { Resource } from '../resources/resources.table.ts';
import type { PackageRow } from '../ckan-api/ckan.repository.ts';
import type { PublishedSlice } from './dcat.service.ts';

/**
 * DCAT-US 1.1 (Project Open Data) `data.json`. Field names and required fields follow the schema at
 * https://project-open-data.cio.gov/v1.1/schema/catalog.json; bureauCode and programCode are for US
 * federal agencies and are left out, as non-federal publishers do.
 */

export interface DcatUsContext {
  baseUrl: string;
  /** Used when an agency has no e-mail: contactPoint.hasEmail is required. */
  fallbackEmail: string;
  defaultLicenceUrl: string;
}

/** ISO 8601 repeating durations, as DCAT-US's accrualPeriodicity expects. */
const periodicity: Record<string, string> = {
  weekly: 'R/P1W',
  monthly: 'R/P1M',
  quarterly: 'R/P3M',
  half_yearly: 'R/P6M',
  yearly: 'R/P1Y',
  irregular: 'irregular',
};

function distribution(context: DcatUsContext, row: PackageRow, resource: Resource) {
  const common = { '@type': 'dcat:Distribution', title: resource.name, format: resource.format, ...(resource.description ? { description: resource.description } : {}) };
  if (resource.storageKey) {
    return { ...common, downloadURL: `${context.baseUrl}${downloadPath(row.dataset.slug, resource)}`, mediaType: resource.mediaType };
  }
  return { ...common, accessURL: resource.url ?? `${context.baseUrl}/dataset/${row.dataset.slug}` };
}

export function dcatUsDataset(context: DcatUsContext, row: PackageRow, resources: Resource[]) {
  const { dataset, revision, agency } = row;
  const modified = revision.publishedAt ?? revision.updatedAt;
  return {
    '@type': 'dcat:Dataset',
    identifier: `${context.baseUrl}/dataset/${dataset.slug}`,
    title: revision.title,
    description: revision.description,
    // At least one keyword is required: a dataset without tags is described by its topic group.
    keyword: revision.tags.length > 0 ? revision.tags : [row.topic.nameVi],
    modified: modified.toISOString(),
    ...(dataset.firstPublishedAt ? { issued: vietnamDay(dataset.firstPublishedAt) } : {}),
    publisher: { '@type': 'org:Organization', name: agency.name },
    contactPoint: { '@type': 'vcard:Contact', fn: revision.contact || agency.name, hasEmail: `mailto:${agency.email ?? context.fallbackEmail}` },
    accessLevel: 'public',
    license: /^https?:\/\//.test(revision.licence) ? revision.licence : context.defaultLicenceUrl,
    landingPage: `${context.baseUrl}/dataset/${dataset.slug}`,
    accrualPeriodicity: periodicity[revision.updateFrequency] ?? 'irregular',
    language: ['vi'],
    theme: [row.topic.nameVi],
    ...(revision.spatialCoverage ? { spatial: revision.spatialCoverage } : {}),
    distribution: resources.map((resource) => distribution(context, row, resource)),
  };
}

export function dcatUsCatalogue(context: DcatUsContext, slice: PublishedSlice) {
  return {
    '@context': 'https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld',
    '@id': `${context.baseUrl}/data.json`,
    '@type': 'dcat:Catalog',
    conformsTo: 'https://project-open-data.cio.gov/v1.1/schema',
    describedBy: 'https://project-open-data.cio.gov/v1.1/schema/catalog.json',
    dataset: slice.rows.map((row) => dcatUsDataset(context, row, slice.filesOf.get(row.revision.id) ?? [])),
  };
}
