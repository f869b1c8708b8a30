import { Meilisearch } from 'meilisearch';
import { defaultExactCountLimit, type FacetName, facetNames, fold, parseQuery, type SearchDocument, type SearchEngine, type SearchQuery, type SearchResult } from './search.types.ts';

export const facetAttribute: Record<FacetName, string> = {
  topic: 'topicSlug',
  agency: 'agencySlug',
  format: 'formats',
  frequency: 'updateFrequency',
  tag: 'tags',
  licence: 'licence',
};

/**
 * The index settings that give Meilisearch the PostgreSQL engine's behaviour (the contract suite runs on
 * both). Exported so that a test checks them without a server and, when MEILI_URL is set, that the
 * server kept them.
 */
export const meiliSettings = {
  // Field weight as the PostgreSQL engine gives it: title > tags > agency/topic > description.
  searchableAttributes: [
    'title',
    'titleFolded',
    'tags',
    'tagsFolded',
    'agencyName',
    'agencyNameFolded',
    'topicName',
    'topicNameFolded',
    'description',
    'descriptionFolded',
    'resourceNames',
  ],
  // Exact words before typos, then syllables together and in order (the phrase), then the field
  // they are in, then freshness and popularity, as the PostgreSQL engine's tiers.
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'exactness', 'sort', 'publishedAt:desc', 'downloads:desc'],
  // Typos only in words of 5+ letters: "dan" must never find "danh".
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
  filterableAttributes: Object.values(facetAttribute),
  sortableAttributes: ['publishedAt', 'title', 'downloads'],
  faceting: { maxValuesPerFacet: 200 },
  pagination: { maxTotalHits: 100_000 },
};

/** How long a visitor's search (and /readyz) waits for Meilisearch before PostgreSQL answers instead. */
export const meiliSearchTimeoutMs = 2_000;
/** How long one indexing request may take (the outbox retries what fails). */
const meiliIndexingTimeoutMs = 15_000;

/** Meilisearch filter values are quoted strings; escape what could close the quote. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Meilisearch, when MEILI_URL is set. Folded copies of the text fields are indexed beside the
 * originals, so that typing without diacritics (and "d" for "đ") finds the same datasets.
 */
export function createMeiliEngine(url: string, apiKey: string, indexName = 'datasets'): SearchEngine {
  // The client has no request timeout of its own: an engine that accepts connections and never
  // answers (hung, or a network black hole) held every search page and /readyz for ever (fault run,
  // issue 17 item 8). Visitors' searches and the health probe give up soon and fall back to
  // PostgreSQL; indexing, which nobody waits for, may take longer.
  const client = new Meilisearch({ host: url, apiKey, timeout: meiliIndexingTimeoutMs });
  const index = client.index(indexName);
  const quick = new Meilisearch({ host: url, apiKey, timeout: meiliSearchTimeoutMs });
  const quickIndex = quick.index(indexName);
  // Settings are sent at start; when the engine was away then, before the first documents it gets
  // (else it would index them with its defaults: nothing filterable, our ranking rules missing).
  let configured = false;
  async function setup() {
    await client.createIndex(indexName, { primaryKey: 'id' }).waitTask().catch(() => undefined);
    await index.updateSettings(meiliSettings).waitTask();
    configured = true;
  }

  const toMeili = (document: SearchDocument) => ({
    ...document,
    id: document.datasetId,
    publishedAt: document.publishedAt.getTime(),
    titleFolded: fold(document.title),
    descriptionFolded: fold(document.description),
    tagsFolded: document.tags.map(fold),
    agencyNameFolded: fold(document.agencyName),
    topicNameFolded: fold(document.topicName),
  });

  return {
    name: 'meilisearch',
    setup,
    async upsert(documents) {
      if (!configured) await setup();
      if (documents.length > 0) await index.addDocuments(documents.map(toMeili)).waitTask();
    },
    async remove(datasetIds) {
      if (!configured) await setup();
      if (datasetIds.length > 0) await index.deleteDocuments(datasetIds).waitTask();
    },
    async clear() {
      await index.deleteAllDocuments().waitTask();
    },
    async search(query: SearchQuery): Promise<SearchResult> {
      const filter = facetNames
        .filter((facet) => query.filters[facet]?.length)
        .map((facet) => `(${query.filters[facet]!.map((value) => `${facetAttribute[facet]} = ${quote(value)}`).join(' OR ')})`);
      const sort =
        query.sort === 'name' ? ['title:asc'] : query.sort === 'updated' ? ['publishedAt:desc'] : query.sort === 'downloads' ? ['downloads:desc'] : undefined;
      // The query goes as folded syllables only: Meilisearch reads quotes and a leading minus as syntax.
      const { terms, lastIsPrefix } = parseQuery(query.text);
      // A trailing space tells Meilisearch the last word is complete: one letter is not a prefix.
      const words = `${terms.join(' ')}${lastIsPrefix ? '' : ' '}`;
      const options = {
        filter,
        sort,
        facets: Object.values(facetAttribute),
        hitsPerPage: query.pageSize,
        page: query.page,
        matchingStrategy: 'all' as const,
      };
      // The word as typed first ("dân số" together); only when no document has it, the syllables anywhere.
      let response = terms.length > 1 ? await quickIndex.search(`"${terms.join(' ')}"`, options) : null;
      if (!response || (response.totalHits ?? 0) === 0) response = await quickIndex.search(terms.length > 0 ? words : '', options);
      const facets = Object.fromEntries(
        facetNames.map((facet) => [
          facet,
          Object.entries(response.facetDistribution?.[facetAttribute[facet]] ?? {})
            .map(([value, count]) => ({ value, count: Number(count) }))
            .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
        ]),
      ) as SearchResult['facets'];
      return {
        total: response.totalHits ?? 0,
        hits: response.hits.map((hit: Record<string, unknown>) => ({
          datasetId: hit.datasetId as string,
          slug: hit.slug as string,
          title: hit.title as string,
          description: hit.description as string,
          topicSlug: hit.topicSlug as string,
          agencySlug: hit.agencySlug as string,
          formats: hit.formats as string[],
          updateFrequency: hit.updateFrequency as string,
          publishedAt: new Date(hit.publishedAt as number),
        })),
        facets,
        approximate: false,
        estimated: (response.totalHits ?? 0) > (query.exactCountLimit ?? defaultExactCountLimit),
      };
    },
    async ping() {
      await quick.health();
    },
  };
}
