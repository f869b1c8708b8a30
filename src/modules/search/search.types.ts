/** What the search engines share: the document indexed per published dataset and the query shape. */
export const facetNames = ['topic', 'agency', 'format', 'frequency', 'tag', 'licence'] as const;
export type FacetName = (typeof facetNames)[number];

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
}

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
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

/** Words of a query, folded, without anything an engine could read as syntax. */
export function queryTerms(text: string): string[] {
  return fold(text)
    .split(/[^a-z0-9]+/)
    .filter((term) => term.length > 0)
    .slice(0, 12);
}
