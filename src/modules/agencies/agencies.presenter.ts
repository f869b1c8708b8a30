import type { Agency } from './agencies.table.ts';

export interface AgencyView {
  slug: string;
  name: string;
  kind: Agency['kind'];
  active: boolean;
  description: string;
  email: string | null;
  phone: string | null;
  website: string | null;
  address: string | null;
  url: string;
  datasetCount: number;
}

export function presentAgency(agency: Agency, datasetCount = 0): AgencyView {
  return {
    slug: agency.slug,
    name: agency.name,
    kind: agency.kind,
    active: agency.active,
    description: agency.description,
    email: agency.email,
    phone: agency.phone,
    website: agency.website,
    address: agency.address,
    url: `/organization/${agency.slug}`,
    datasetCount,
  };
}
