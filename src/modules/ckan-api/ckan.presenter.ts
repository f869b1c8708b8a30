import type { Agency } from '../agencies/agencies.table.ts';
import { downloadPath } from '../resources/resources.presenter.ts';
import type { Resource } from '../resources/resources.table.ts';
import type { Topic } from '../topics/topics.table.ts';
import { defaultLicenceId, type PackageRow } from './ckan.repository.ts';

/**
 * CKAN's dict shapes (ckan/lib/dictization/model_dictize.py), field by field: names and types are
 * what ckanapi, the CKAN harvester and ckanext-dcat read. Only whitelisted values go out.
 */

/** CKAN writes naive UTC timestamps with microseconds: `2026-11-30T07:15:02.123456`. */
export function ckanTimestamp(date: Date | null | undefined): string | null {
  if (!date) return null;
  return `${date.toISOString().slice(0, 23)}000`;
}

export interface PresentContext {
  baseUrl: string;
  /** The province's terms, the licence of a dataset that names none. */
  defaultLicenceTitle: string;
  /** Resource lineages with a DataStore table (the datastore module knows); none by default. */
  datastoreActive?: (resource: Resource) => boolean;
}

export function organizationDict(agency: Agency, packageCount?: number) {
  return {
    id: agency.id,
    name: agency.slug,
    title: agency.name,
    display_name: agency.name,
    description: agency.description,
    type: 'organization',
    is_organization: true,
    state: agency.active ? 'active' : 'deleted',
    approval_status: 'approved',
    image_url: '',
    image_display_url: '',
    created: ckanTimestamp(agency.createdAt),
    ...(packageCount === undefined ? {} : { package_count: packageCount }),
  };
}

export function groupDict(topic: Topic, packageCount?: number) {
  return {
    id: topic.id,
    name: topic.slug,
    title: topic.nameVi,
    display_name: topic.nameVi,
    title_translated: { vi: topic.nameVi, en: topic.nameEn },
    description: topic.descriptionVi,
    type: 'group',
    is_organization: false,
    state: 'active',
    approval_status: 'approved',
    image_url: '',
    image_display_url: '',
    ...(packageCount === undefined ? {} : { package_count: packageCount }),
  };
}

export function tagDict(name: string) {
  return { id: name, name, display_name: name, state: 'active', vocabulary_id: null };
}

export function licenceTitle(licence: string, context: PresentContext): string {
  return licence || context.defaultLicenceTitle;
}

export function resourceDict(row: Pick<PackageRow, 'dataset' | 'revision'>, resource: Resource, context: PresentContext) {
  const uploaded = Boolean(resource.storageKey);
  const url = uploaded ? `${context.baseUrl}${downloadPath(row.dataset.slug, resource)}` : (resource.url ?? '');
  return {
    // The lineage stays the same across revisions, so a harvester sees one resource, not a new one per edit.
    id: resource.lineageId,
    package_id: row.dataset.id,
    url,
    name: resource.name,
    description: resource.description,
    format: resource.format,
    mimetype: uploaded ? resource.mediaType : null,
    mimetype_inner: null,
    size: resource.sizeBytes,
    hash: resource.sha256 ?? '',
    created: ckanTimestamp(resource.createdAt),
    last_modified: ckanTimestamp(resource.createdAt),
    metadata_modified: ckanTimestamp(resource.createdAt),
    position: resource.position,
    state: 'active',
    datastore_active: context.datastoreActive?.(resource) ?? false,
    url_type: uploaded ? 'upload' : null,
    // A data sharing service is an "api" resource, with its documentation and access conditions.
    resource_type: resource.service ? 'api' : null,
    ...(resource.service ? { docs_url: resource.service.docsUrl ?? '', access_conditions: resource.service.accessConditions } : {}),
    cache_url: null,
    cache_last_updated: null,
  };
}

/** Our Appendix II fields travel as CKAN extras: key/value strings. */
function extrasOf(row: PackageRow) {
  const extras: Array<{ key: string; value: string }> = [
    { key: 'frequency', value: row.revision.updateFrequency },
    { key: 'topic', value: row.topic.slug },
  ];
  if (row.revision.firstPublicationDate) extras.push({ key: 'first_publication_date', value: row.revision.firstPublicationDate });
  if (row.dataset.catalogueNumber !== null) extras.push({ key: 'catalogue_number', value: String(row.dataset.catalogueNumber) });
  if (row.revision.temporalCoverage) extras.push({ key: 'temporal_coverage', value: row.revision.temporalCoverage });
  if (row.revision.spatialCoverage) extras.push({ key: 'spatial_coverage', value: row.revision.spatialCoverage });
  return extras;
}

export function packageDict(row: PackageRow, resources: Resource[], context: PresentContext) {
  const { dataset, revision } = row;
  const isPublicRevision = dataset.publishedRevisionId === revision.id;
  return {
    id: dataset.id,
    name: dataset.slug,
    title: revision.title,
    notes: revision.description,
    url: `${context.baseUrl}/dataset/${dataset.slug}`,
    version: String(revision.number),
    author: row.agency.name,
    author_email: row.agency.email ?? null,
    maintainer: revision.contact || row.agency.name,
    maintainer_email: row.agency.email ?? null,
    owner_org: dataset.agencyId,
    organization: organizationDict(row.agency),
    groups: [groupDict(row.topic)],
    tags: revision.tags.map(tagDict),
    num_tags: revision.tags.length,
    resources: resources.map((resource) => resourceDict(row, resource, context)),
    num_resources: resources.length,
    license_id: revision.licence || defaultLicenceId,
    license_title: licenceTitle(revision.licence, context),
    license_url: revision.licence ? null : `${context.baseUrl}/terms`,
    isopen: true,
    metadata_created: row.stamps.created,
    metadata_modified: row.stamps.modified,
    // A revision in the works (seen only by its agency's token) is a draft until its leader approves it.
    state: isPublicRevision ? 'active' : 'draft',
    private: !isPublicRevision,
    type: 'dataset',
    extras: extrasOf(row),
    relationships_as_object: [],
    relationships_as_subject: [],
  };
}

export function licenceDict(id: string, title: string, url: string | null) {
  return {
    id,
    title,
    url: url ?? '',
    status: 'active',
    maintainer: '',
    family: '',
    domain_content: true,
    domain_data: true,
    domain_software: false,
    is_generic: false,
    is_okd_compliant: true,
    is_osi_compliant: false,
    od_conformance: 'approved',
    osd_conformance: 'not reviewed',
  };
}
