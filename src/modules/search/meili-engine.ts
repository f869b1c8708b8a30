import { Meilisearch } from 'meilisearch';
import { type FacetName, facetNames, fold, type SearchDocument, type SearchEngine, type SearchQuery, type SearchResult } from './search.types.ts';


const facetAttribute: Record<FacetName, string> = {
  topic: 'topicSlug',
  agency: 'agencySlug',
  format: 'formats',
  frequency: 'updateFrequency',
  tag: 'tags',
  licence: 'licence',
};

/** Meilisearch filter values are quoted strings; escape what could close the quote. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Meilisearch, when MEILI_URL is set. Folded copies of the text fields are indexed beside the
 * originals, so that typing without diacritics (and "d" for "đ") finds the same datasets.
 */
export function createMeiliEngine(url: string, apiKey: string, indexName = 'datasets'): SearchEngine {
  const client = new Meilisearch({ host: url, apiKey });
  const index = client.index(indexName);

  const toMeili = (document: SearchDocument) => ({
    ...document,
    id: document.datasetId,
    publishedAt: document.publishedAt.getTime(),
    titleFolded: fold(document.title),
    descriptionFolded: fold(document.description),
    tagsFolded: document.tags.map(fold),
  });

  return {
    name: 'meilisearch',
    async setup() {
      await client.createIndex(indexName, { primaryKey: 'id' }).waitTask().catch(() => undefined);
      await index
        .updateSettings({
          searchableAttributes: ['title', 'titleFolded', 'tags', 'tagsFolded', 'description', 'descriptionFolded', 'resourceNames'],
          filterableAttributes: Object.values(facetAttribute),
          sortableAttributes: ['publishedAt', 'title', 'downloads'],
          faceting: { maxValuesPerFacet: 200 },
          pagination: { maxTotalHits: 100_000 },
        })
        .waitTask();
    },
    async upsert(documents) {
      if (documents.length > 0) await index.addDocuments(documents.map(toMeili)).waitTask();
    },
    async remove(datasetIds) {
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
      // The query goes as text: Meilisearch has no query syntax beyond quotes and a leading minus.
      const text = fold(query.text).replace(/["-]/g, ' ');
      const response = await index.search(text, {
        filter,
        sort,
        facets: Object.values(facetAttribute),
        hitsPerPage: query.pageSize,
        page: query.page,
      });
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
      };
    },
    async ping() {
      await client.health();
    },
  };
}
