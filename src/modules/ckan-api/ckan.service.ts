import type { Queryable } from '../../db/client.ts';
import type { Translate } from '../../i18n/i18n.ts';
import { type Actor, can } from '../accounts/permissions.ts';
import { findAgencyBySlug, findAgencyById, listAllAgencies } from '../agencies/agencies.repository.ts';
import { findOpenRevision } from '../datasets/revisions.repository.ts';
import { datastoreActiveOf } from '../datastore/datastore.service.ts';
import type { Resource } from '../resources/resources.table.ts';
import { listTopics } from '../topics/topics.repository.ts';
import { isUuid } from '../../lib/ids.ts';
import { CkanActionError } from './ckan-actions.ts';
import { boolParam, intParam, listParam, requiredString, stringParam } from './ckan-params.ts';
import { parseQuery, parseSort, QuerySyntaxError, type QueryTree, type SortKey } from './ckan-query.ts';
import {
  countFacet,
  countPublishedBy,
  defaultLicenceId,
  type FacetField,
  facetFields,
  findDatasetByIdOrName,
  findPackageAtRevision,
  findPublishedPackage,
  findPublishedPackagesByIds,
  findPublishedResourceByApiId,
  listLicencesInUse,
  listPublishedIdsOf,
  listPublishedNames,
  listPublishedTags,
  listRecentlyModifiedIds,
  listResourcesOfRevisions,
  type PackageRow,
  searchPublishedPackages,
  treeCondition,
} from './ckan.repository.ts';
import { groupDict, licenceDict, organizationDict, type PresentContext, packageDict, resourceDict, tagDict } from './ckan.presenter.ts';

/** CKAN's ckan.search.rows_max default: a harvester pages through with rows=1000. */
export const maxRows = 1000;
const maxListLimit = 1000;

export interface ReadContext extends PresentContext {
  db: Queryable;
  t: Translate;
  /** The person behind an API token, or null for an anonymous caller. */
  actor: Actor | null;
}

function notFound(context: ReadContext, what: string): never {
  throw new CkanActionError('notFound', context.t('ckan.not_found', { what }));
}

/** The context with CKAN's `datastore_active` answered for these resources (one query for them all). */
async function withDatastore(context: ReadContext, resources: Resource[]): Promise<ReadContext> {
  const active = await datastoreActiveOf(context.db, resources);
  return { ...context, datastoreActive: (resource) => active.has(resource.id) };
}

async function packageDicts(context: ReadContext, rows: PackageRow[]) {
  const files = await listResourcesOfRevisions(context.db, rows.map((row) => row.revision.id));
  const withTables = await withDatastore(context, [...files.values()].flat());
  return rows.map((row) => packageDict(row, files.get(row.revision.id) ?? [], withTables));
}

function parse(context: ReadContext, field: string, text: string): QueryTree {
  try {
    return parseQuery(text);
  } catch (error) {
    if (!(error instanceof QuerySyntaxError)) throw error;
    const sentence = context.t('ckan.invalid_query', { field, reason: error.message });
    throw new CkanActionError('validation', sentence, { [field]: [sentence] });
  }
}

export async function packageList(context: ReadContext, params: Record<string, unknown>) {
  const limit = intParam(params, 'limit', context.t, { fallback: maxListLimit, max: maxListLimit });
  const offset = intParam(params, 'offset', context.t, { fallback: 0 });
  return listPublishedNames(context.db, limit, offset);
}

/**
 * One dataset by id or name. The public sees its published revision; a token of the owning agency
 * also sees the revision in the works (state "draft"), so that a client can read back what it wrote.
 */
export async function packageShow(context: ReadContext, params: Record<string, unknown>) {
  const key = requiredString(params, 'id', context.t);
  const dataset = await findDatasetByIdOrName(context.db, key);
  if (dataset && can(context.actor, 'dataset.read', dataset)) {
    const open = await findOpenRevision(context.db, dataset.id);
    const row = await findPackageAtRevision(context.db, open?.id ?? dataset.publishedRevisionId ?? '');
    if (row) return (await packageDicts(context, [row]))[0];
  }
  const row = await findPublishedPackage(context.db, key);
  if (!row) notFound(context, key);
  return (await packageDicts(context, [row]))[0];
}

export async function resourceShow(context: ReadContext, params: Record<string, unknown>) {
  const id = requiredString(params, 'id', context.t);
  const found = await findPublishedResourceByApiId(context.db, id);
  if (!found) notFound(context, id);
  const [row] = await findPublishedPackagesByIds(context.db, [found.datasetId]);
  if (!row) notFound(context, id);
  return resourceDict(row, found.resource, await withDatastore(context, [found.resource]));
}

function facetLabel(field: FacetField, t: Translate): string {
  return t(`ckan.facet_${field}`);
}

function sortOf(t: Translate, text: string | undefined): SortKey[] {
  try {
    return parseSort(text);
  } catch (error) {
    const sentence = t('ckan.invalid_sort', { reason: (error as Error).message });
    throw new CkanActionError('validation', sentence, { sort: [sentence] });
  }
}

export async function packageSearch(context: ReadContext, params: Record<string, unknown>) {
  const { t } = context;
  const rows = intParam(params, 'rows', t, { fallback: 10, max: maxRows });
  const start = intParam(params, 'start', t, { fallback: 0 });
  const q = stringParam(params, 'q') ?? '';
  const fq = [stringParam(params, 'fq') ?? '', ...listParam(params, 'fq_list', t)];
  const sort = sortOf(t, stringParam(params, 'sort'));
  const tree = [...parse(context, 'q', q), ...fq.flatMap((text) => parse(context, 'fq', text))];
  const textTerms = tree.flat().flatMap((term) => (term.kind === 'text' && !term.negate ? [term.text] : []));
  const where = treeCondition(tree);
  const facetLimit = Number(stringParam(params, 'facet.limit') ?? 50);
  // CKAN reads a negative limit as "all values"; we stop at 1000.
  const limit = !Number.isInteger(facetLimit) ? 50 : facetLimit < 0 ? 1000 : Math.min(facetLimit, 1000);
  const asked = boolParam(params, 'facet', true) ? listParam(params, 'facet.field', t) : [];
  const unknown = asked.find((field) => !(facetFields as string[]).includes(field));
  if (unknown) {
    const sentence = t('ckan.invalid_facet', { field: unknown });
    throw new CkanActionError('validation', sentence, { 'facet.field': [sentence] });
  }
  const [found, facetCounts] = await Promise.all([
    searchPublishedPackages(context.db, { where, sort, textTerms, rows, start }),
    Promise.all((asked as FacetField[]).map(async (field) => [field, await countFacet(context.db, where, field, limit)] as const)),
  ]);
  const facets: Record<string, Record<string, number>> = {};
  const searchFacets: Record<string, { title: string; items: Array<{ name: string; display_name: string; count: number }> }> = {};
  for (const [field, items] of facetCounts) {
    facets[field] = Object.fromEntries(items.map((item) => [item.value, item.count]));
    searchFacets[field] = {
      title: facetLabel(field, t),
      items: items.map((item) => ({ name: item.value, display_name: item.label, count: item.count })),
    };
  }
  return {
    count: found.count,
    sort: sort.map((key) => `${key.field} ${key.descending ? 'desc' : 'asc'}`).join(', '),
    results: await packageDicts(context, found.rows),
    facets,
    search_facets: searchFacets,
  };
}

export async function currentPackageListWithResources(context: ReadContext, params: Record<string, unknown>) {
  const limit = intParam(params, 'limit', context.t, { fallback: 10, max: maxListLimit });
  const offset = intParam(params, 'offset', context.t, { fallback: 0 });
  const ids = await listRecentlyModifiedIds(context.db, limit, offset);
  return packageDicts(context, await findPublishedPackagesByIds(context.db, ids));
}

/** organization_list / group_list: names, or whole dicts with all_fields. */
export async function organizationList(context: ReadContext, params: Record<string, unknown>) {
  const agencies = (await listAllAgencies(context.db)).filter((agency) => agency.active).sort((a, b) => a.slug.localeCompare(b.slug));
  if (!boolParam(params, 'all_fields')) return agencies.map((agency) => agency.slug);
  const counts = await countPublishedBy(context.db, 'agency');
  return agencies.map((agency) => organizationDict(agency, counts.get(agency.id) ?? 0));
}

export async function organizationShow(context: ReadContext, params: Record<string, unknown>) {
  const key = requiredString(params, 'id', context.t);
  const agency = isUuid(key) ? await findAgencyById(context.db, key) : await findAgencyBySlug(context.db, key);
  if (!agency?.active) notFound(context, key);
  const counts = await countPublishedBy(context.db, 'agency');
  const dict = { ...organizationDict(agency, counts.get(agency.id) ?? 0), users: [], extras: [], tags: [], groups: [] };
  if (!boolParam(params, 'include_datasets')) return dict;
  const ids = await listPublishedIdsOf(context.db, 'agency', agency.id, maxListLimit);
  return { ...dict, packages: await packageDicts(context, await findPublishedPackagesByIds(context.db, ids)) };
}

export async function groupList(context: ReadContext, params: Record<string, unknown>) {
  // CKAN lists groups by name unless told otherwise.
  const topics = (await listTopics(context.db)).sort((a, b) => a.slug.localeCompare(b.slug));
  if (!boolParam(params, 'all_fields')) return topics.map((topic) => topic.slug);
  const counts = await countPublishedBy(context.db, 'topic');
  return topics.map((topic) => groupDict(topic, counts.get(topic.id) ?? 0));
}

export async function groupShow(context: ReadContext, params: Record<string, unknown>) {
  const key = requiredString(params, 'id', context.t);
  const topic = (await listTopics(context.db)).find((candidate) => candidate.slug === key || candidate.id === key);
  if (!topic) notFound(context, key);
  const counts = await countPublishedBy(context.db, 'topic');
  const dict = { ...groupDict(topic, counts.get(topic.id) ?? 0), users: [], extras: [], tags: [], groups: [] };
  if (!boolParam(params, 'include_datasets')) return dict;
  const ids = await listPublishedIdsOf(context.db, 'topic', topic.id, maxListLimit);
  return { ...dict, packages: await packageDicts(context, await findPublishedPackagesByIds(context.db, ids)) };
}

export async function tagList(context: ReadContext, params: Record<string, unknown>) {
  const tags = await listPublishedTags(context.db, stringParam(params, 'query')?.trim() || null);
  return boolParam(params, 'all_fields') ? tags.map(tagDict) : tags;
}

export async function licenseList(context: ReadContext) {
  const named = await listLicencesInUse(context.db);
  return [
    licenceDict(defaultLicenceId, context.defaultLicenceTitle, `${context.baseUrl}/terms`),
    ...named.map((licence) => licenceDict(licence, licence, null)),
  ];
}

export function statusShow(context: ReadContext, extensions: string[]) {
  return {
    ckan_version: '2.10.4',
    site_url: context.baseUrl,
    site_title: context.t('ckan.site_title'),
    site_description: '',
    locale_default: 'vi',
    extensions,
  };
}
