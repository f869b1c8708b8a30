import { DataFactory, type Quad, type Quad_Object, type Quad_Subject } from 'n3';
import { downloadPath } from '../resources/resources.presenter.ts';
import type { Resource } from '../resources/resources.table.ts';
import type { PackageRow } from '../ckan-api/ckan.repository.ts';
import { euFrequency, euFrequencyBase, euLanguageVietnamese, prefixes, term } from './dcat.vocabulary.ts';

const { namedNode, literal, blankNode, quad } = DataFactory;

/**
 * DCAT-AP 3 as quads: the catalogue, its datasets, their publishers and distributions. Serialisers
 * (Turtle, JSON-LD, RDF/XML) all read these quads, so the three feeds always say the same thing.
 */

export interface DcatContext {
  baseUrl: string;
  catalogueTitle: string;
  catalogueDescription: string;
  /** The licence document of a dataset that names none (the province's terms). */
  defaultLicenceUrl: string;
}

const xsd = (local: string) => namedNode(`${prefixes.xsd}${local}`);
const dateTime = (date: Date) => literal(date.toISOString(), xsd('dateTime'));
const rdfType = term('rdf', 'type');

export const datasetIri = (context: DcatContext, slug: string) => `${context.baseUrl}/dataset/${slug}`;
export const catalogueIri = (context: DcatContext) => `${context.baseUrl}/catalog`;

class Graph {
  readonly quads: Quad[] = [];
  add(subject: Quad_Subject, predicate: ReturnType<typeof term>, object: Quad_Object) {
    this.quads.push(quad(subject, predicate, object));
  }
  text(subject: Quad_Subject, predicate: ReturnType<typeof term>, value: string | null | undefined, language?: string) {
    if (value) this.add(subject, predicate, language ? literal(value, language) : literal(value));
  }
}

function addPublisher(graph: Graph, context: DcatContext, agency: PackageRow['agency']) {
  const publisher = namedNode(`${context.baseUrl}/organization/${agency.slug}`);
  graph.add(publisher, rdfType, term('foaf', 'Agent'));
  graph.text(publisher, term('foaf', 'name'), agency.name, 'vi');
  if (agency.email) graph.add(publisher, term('foaf', 'mbox'), namedNode(`mailto:${agency.email}`));
  return publisher;
}

function addDistribution(graph: Graph, context: DcatContext, row: PackageRow, resource: Resource) {
  const distribution = namedNode(`${datasetIri(context, row.dataset.slug)}/resource/${resource.lineageId}`);
  graph.add(distribution, rdfType, term('dcat', 'Distribution'));
  graph.text(distribution, term('dct', 'title'), resource.name, 'vi');
  graph.text(distribution, term('dct', 'description'), resource.description, 'vi');
  graph.text(distribution, term('dct', 'format'), resource.format);
  graph.add(distribution, term('dct', 'issued'), dateTime(resource.createdAt));
  graph.add(distribution, term('dct', 'license'), namedNode(row.revision.licence && /^https?:\/\//.test(row.revision.licence) ? row.revision.licence : context.defaultLicenceUrl));
  if (resource.storageKey) {
    const download = namedNode(`${context.baseUrl}${downloadPath(row.dataset.slug, resource)}`);
    graph.add(distribution, term('dcat', 'accessURL'), download);
    graph.add(distribution, term('dcat', 'downloadURL'), download);
    graph.add(distribution, term('dcat', 'mediaType'), namedNode(`https://www.iana.org/assignments/media-types/${resource.mediaType}`));
    if (resource.sizeBytes !== null) graph.add(distribution, term('dcat', 'byteSize'), literal(String(resource.sizeBytes), xsd('nonNegativeInteger')));
    if (resource.sha256) {
      const checksum = blankNode(`checksum-${resource.id}`);
      graph.add(distribution, term('spdx', 'checksum'), checksum);
      graph.add(checksum, rdfType, term('spdx', 'Checksum'));
      graph.add(checksum, term('spdx', 'algorithm'), term('spdx', 'checksumAlgorithm_sha256'));
      graph.add(checksum, term('spdx', 'checksumValue'), literal(resource.sha256, xsd('hexBinary')));
    }
  } else if (resource.url) {
    graph.add(distribution, term('dcat', 'accessURL'), namedNode(resource.url));
  }
  return distribution;
}

/** A data sharing service (Lai Châu plan 4.2) as a dcat:DataService serving its dataset. */
function addDataService(graph: Graph, context: DcatContext, row: PackageRow, resource: Resource, dataset: Quad_Subject, publisher: Quad_Subject) {
  const service = namedNode(`${datasetIri(context, row.dataset.slug)}/service/${resource.lineageId}`);
  graph.add(service, rdfType, term('dcat', 'DataService'));
  graph.text(service, term('dct', 'title'), resource.name, 'vi');
  graph.text(service, term('dct', 'description'), resource.description, 'vi');
  if (resource.url) graph.add(service, term('dcat', 'endpointURL'), namedNode(resource.url));
  if (resource.service?.docsUrl) graph.add(service, term('dcat', 'endpointDescription'), namedNode(resource.service.docsUrl));
  if (resource.service?.accessConditions) {
    const rights = blankNode(`rights-${resource.id}`);
    graph.add(service, term('dct', 'accessRights'), rights);
    graph.add(rights, rdfType, term('dct', 'RightsStatement'));
    graph.text(rights, term('rdfs', 'label'), resource.service.accessConditions, 'vi');
  }
  graph.add(service, term('dcat', 'servesDataset'), dataset);
  graph.add(service, term('dct', 'publisher'), publisher);
  return service;
}

/** One published dataset with its publisher, distributions and data services. */
export function addDataset(graph: Graph, context: DcatContext, row: PackageRow, resources: Resource[]): { node: Quad_Subject; services: Quad_Subject[] } {
  const { dataset, revision } = row;
  const node = namedNode(datasetIri(context, dataset.slug));
  graph.add(node, rdfType, term('dcat', 'Dataset'));
  graph.text(node, term('dct', 'identifier'), dataset.id);
  graph.text(node, term('dct', 'title'), revision.title, 'vi');
  graph.text(node, term('dct', 'description'), revision.description, 'vi');
  const publisher = addPublisher(graph, context, row.agency);
  graph.add(node, term('dct', 'publisher'), publisher);
  graph.add(node, term('dcat', 'landingPage'), node);
  graph.add(node, term('dct', 'language'), namedNode(euLanguageVietnamese));
  for (const tag of revision.tags) graph.text(node, term('dcat', 'keyword'), tag, 'vi');
  const theme = namedNode(`${context.baseUrl}/group/${row.topic.slug}`);
  graph.add(node, term('dcat', 'theme'), theme);
  graph.text(theme, term('rdfs', 'label'), row.topic.nameVi, 'vi');
  graph.text(theme, term('rdfs', 'label'), row.topic.nameEn, 'en');
  if (dataset.firstPublishedAt) graph.add(node, term('dct', 'issued'), dateTime(dataset.firstPublishedAt));
  graph.add(node, term('dct', 'modified'), dateTime(revision.publishedAt ?? revision.updatedAt));
  graph.add(node, term('dct', 'accrualPeriodicity'), namedNode(`${euFrequencyBase}${euFrequency[revision.updateFrequency] ?? 'UNKNOWN'}`));
  graph.text(node, term('dcat', 'version'), String(revision.number));
  if (revision.spatialCoverage) graph.text(node, term('dct', 'spatial'), revision.spatialCoverage, 'vi');
  if (revision.contact || row.agency.email) {
    const contact = blankNode(`contact-${dataset.id}`);
    graph.add(node, term('dcat', 'contactPoint'), contact);
    graph.add(contact, rdfType, term('vcard', 'Kind'));
    graph.text(contact, term('vcard', 'fn'), revision.contact || row.agency.name, 'vi');
    if (row.agency.email) graph.add(contact, term('vcard', 'hasEmail'), namedNode(`mailto:${row.agency.email}`));
  }
  const services: Quad_Subject[] = [];
  for (const resource of resources) {
    const distribution = addDistribution(graph, context, row, resource);
    graph.add(node, term('dcat', 'distribution'), distribution);
    if (resource.service) {
      const service = addDataService(graph, context, row, resource, node, publisher);
      graph.add(distribution, term('dcat', 'accessService'), service);
      services.push(service);
    }
  }
  return { node, services };
}

export interface CataloguePage {
  rows: PackageRow[];
  filesOf: Map<string, Resource[]>;
  total: number;
  page: number;
  pageSize: number;
  /** The address of this feed without `page` (e.g. …/catalog.ttl?modified_since=…). */
  pageUrl: (page: number) => string;
}

/** The catalogue record with one page of datasets, paged as ckanext-dcat pages (Hydra). */
export function catalogueQuads(context: DcatContext, page: CataloguePage): Quad[] {
  const graph = new Graph();
  const catalogue = namedNode(catalogueIri(context));
  graph.add(catalogue, rdfType, term('dcat', 'Catalog'));
  graph.text(catalogue, term('dct', 'title'), context.catalogueTitle, 'vi');
  graph.text(catalogue, term('dct', 'description'), context.catalogueDescription, 'vi');
  graph.add(catalogue, term('foaf', 'homepage'), namedNode(`${context.baseUrl}/`));
  graph.add(catalogue, term('dct', 'language'), namedNode(euLanguageVietnamese));
  for (const row of page.rows) {
    const { node, services } = addDataset(graph, context, row, page.filesOf.get(row.revision.id) ?? []);
    graph.add(catalogue, term('dcat', 'dataset'), node);
    for (const service of services) graph.add(catalogue, term('dcat', 'service'), service);
  }
  const last = Math.max(1, Math.ceil(page.total / page.pageSize));
  const view = namedNode(page.pageUrl(page.page));
  graph.add(view, rdfType, term('hydra', 'PagedCollection'));
  graph.add(view, term('hydra', 'totalItems'), literal(String(page.total), xsd('integer')));
  graph.add(view, term('hydra', 'itemsPerPage'), literal(String(page.pageSize), xsd('integer')));
  graph.add(view, term('hydra', 'firstPage'), literal(page.pageUrl(1)));
  graph.add(view, term('hydra', 'lastPage'), literal(page.pageUrl(last)));
  if (page.page < last) graph.add(view, term('hydra', 'nextPage'), literal(page.pageUrl(page.page + 1)));
  if (page.page > 1) graph.add(view, term('hydra', 'previousPage'), literal(page.pageUrl(page.page - 1)));
  return graph.quads;
}

export function datasetQuads(context: DcatContext, row: PackageRow, resources: Resource[]): Quad[] {
  const graph = new Graph();
  addDataset(graph, context, row, resources);
  return graph.quads;
}
