import { DataFactory, type NamedNode } from 'n3';

/** The vocabularies DCAT-AP 3 uses, with the prefixes every serialisation writes. */
export const prefixes = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  spdx: 'http://spdx.org/rdf/terms#',
  adms: 'http://www.w3.org/ns/adms#',
} as const;

type Prefix = keyof typeof prefixes;

/** `term('dcat', 'Dataset')` → the IRI node. */
export function term(prefix: Prefix, local: string): NamedNode {
  return DataFactory.namedNode(`${prefixes[prefix]}${local}`);
}

/** Our update frequencies in the EU's frequency authority table (DCAT-AP's dct:accrualPeriodicity). */
export const euFrequency: Record<string, string> = {
  weekly: 'WEEKLY',
  monthly: 'MONTHLY',
  quarterly: 'QUARTERLY',
  half_yearly: 'BIANNUAL',
  yearly: 'ANNUAL',
  irregular: 'IRREG',
};

export const euFrequencyBase = 'http://publications.europa.eu/resource/authority/frequency/';
export const euLanguageVietnamese = 'http://publications.europa.eu/resource/authority/language/VIE';
