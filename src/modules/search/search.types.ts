import { fold } from '../../lib/fold.ts';

/** What the search engines share: the document indexed per published dataset and the query shape. */
export const facetNames = ['topic', 'agency', 'format', 'frequency', 'tag', 'licence'] as const;
export type FacetName = (typeof facetNames)[number];

/**
 * How a URL names "the province's default terms" (an empty licence in the index): a link with an
 * empty value is easily lost (forms, crawlers and the facet link itself dropped it).
 */
export const defaultLicenceParam = 'default';

/** Facet values as a URL carries them → as the index holds them. */
export function facetValueFromUrl(facet: FacetName, value: string): string {
  return facet === 'licence' && value === defaultLicenceParam ? '' : value;
}

export function facetValueToUrl(facet: FacetName, value: string): string {
  return facet === 'licence' && value === '' ? defaultLicenceParam : value;
}

export const sortOptions = ['relevance', 'updated', 'name', 'downloads'] as const;
export type SortOption = (typeof sortOptions)[number];

export interface SearchDocument {
  datasetId: string;
  slug: string;
  title: string;
  description: string;
  tags: string[];
  resourceNames: string;
  topicSlug: string;
  agencySlug: string;
  /** Searched beside the title (below tags, above the description): "so giao duc" finds the department's datasets. */
  topicName: string;
  agencyName: string;
  formats: string[];
  updateFrequency: string;
  /** '' means the province's default terms. */
  licence: string;
  publishedAt: Date;
  downloads: number;
}

export interface SearchQuery {
  text: string;
  filters: Partial<Record<FacetName, string[]>>;
  sort: SortOption;
  page: number;
  pageSize: number;
  /**
   * Up to how many matches the total and the facets are counted exactly; above it they are estimated
   * (the `searchExactCountLimit` setting; engines default to 1,000).
   */
  exactCountLimit?: number;
}

export const defaultExactCountLimit = 1_000;

export interface SearchHit {
  datasetId: string;
  slug: string;
  title: string;
  description: string;
  topicSlug: string;
  agencySlug: string;
  formats: string[];
  updateFrequency: string;
  publishedAt: Date;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  facets: Record<FacetName, Array<{ value: string; count: number }>>;
  /** True when no exact match was found and near-misses (typos) are shown instead. */
  approximate: boolean;
  /** True when more matches than the exact-count limit were found: total and facet counts are estimates. */
  estimated: boolean;
  /** True when the search ran out of time (the database cancelled it): nothing is listed, a sentence says why. */
  timedOut?: boolean;
}

export interface SearchEngine {
  readonly name: 'postgres' | 'meilisearch';
  /** Prepares the index (settings, attributes); safe to call at every start. */
  setup(): Promise<void>;
  upsert(documents: SearchDocument[]): Promise<void>;
  remove(datasetIds: string[]): Promise<void>;
  /** Empties the index (before a full rebuild). */
  clear(): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  ping(): Promise<void>;
}

/** "Giáo dục Đường" → "giao duc duong": what both engines index and what queries are folded to. */
export { fold };

/** Syllables of a query, folded, without anything an engine could read as syntax. */
export function queryTerms(text: string): string[] {
  return fold(text)
    .split(/[^a-z0-9]+/)
    .filter((term) => term.length > 0)
    .slice(0, 12);
}

/**
 * What a query asks for: whole syllables, except the last one, which is still being typed and
 * matches as a prefix once it has two letters ("dan so" finds "dân số" and "dân sống", never "danh").
 */
export interface ParsedQuery {
  terms: string[];
  lastIsPrefix: boolean;
}

export function parseQuery(text: string): ParsedQuery {
  const terms = queryTerms(text);
  return { terms, lastIsPrefix: (terms.at(-1)?.length ?? 0) >= 2 };
}

/**
 * Adjacent syllables written as one token ("dân số" → "dan0so"): a Vietnamese word is usually two
 * syllables written apart, and indexing the pairs lets the index find a word (a phrase) directly instead
 * of every document holding both syllables somewhere. "0" joins them because the text parser keeps a
 * run of letters and digits as one token.
 */
export function syllablePairs(terms: string[]): string[] {
  return terms.slice(1).map((term, i) => `${terms[i]}0${term}`);
}

/**
 * Punctuation that ends a run of syllables: pairs never cross it, so "người dân, số liệu" does not hold
 * the word "dân số". A hyphen does not ("Wi-Fi" pairs as "wi0fi", as the query "wi fi" does).
 */
const pairBreak = /[,.;:!?()[\]"/|“”‘’«»…]+/;

/**
 * A field as the PostgreSQL index reads it (to_tsvector 'simple'): its folded text, then its pairs of
 * adjacent syllables. Folded by the same fold() as queries, so both sides agree letter for letter.
 */
export function indexText(value: string): string {
  const folded = fold(value);
  const pairs = folded.split(pairBreak).flatMap((run) => syllablePairs(run.split(/[^a-z0-9]+/).filter((syllable) => syllable.length > 0)));
  return pairs.length > 0 ? `${folded} ${pairs.join(' ')}` : folded;
}
