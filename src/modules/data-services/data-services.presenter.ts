import type { PublishedServiceRow } from './data-services.repository.ts';

export interface DataServiceView {
  name: string;
  description: string;
  endpoint: string;
  docsUrl: string | null;
  accessConditions: string;
  dataset: { title: string; url: string };
  agency: { name: string; url: string };
}

export function presentDataService(row: PublishedServiceRow): DataServiceView {
  return {
    name: row.resource.name,
    description: row.resource.description,
    endpoint: row.resource.url ?? '',
    docsUrl: row.resource.service?.docsUrl ?? null,
    accessConditions: row.resource.service?.accessConditions ?? '',
    dataset: { title: row.title, url: `/dataset/${row.dataset.slug}` },
    agency: { name: row.agency.name, url: `/organization/${row.agency.slug}` },
  };
}
