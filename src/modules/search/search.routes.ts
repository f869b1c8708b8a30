import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parsePage } from '../../lib/pagination.ts';
import { presentCount, presentFacets, presentHit } from './search.presenter.ts';
import { type FacetName, facetNames, facetValueFromUrl, sortOptions } from './search.types.ts';

const pageSize = 20;
/** PostgreSQL refuses a NUL in text, and no other control character means anything in a search. */
const withoutControls = (text: string) => text.replace(/\p{Cc}/gu, ' ');
const listOf = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .filter((item): item is string => typeof item === 'string')
    .map((item) => withoutControls(item.slice(0, 100)))
    .slice(0, 20);

// Everything is in the URL, so a search can be shared and works without JavaScript.
const searchQuery = z.object({
  // A pasted paragraph still searches: the text is trimmed to 200 characters, never refused.
  q: z.preprocess((value) => (typeof value === 'string' ? withoutControls(value).trim().slice(0, 200) : ''), z.string()),
  sort: z.enum(sortOptions).catch('relevance'),
  page: z.unknown().optional(),
  ...Object.fromEntries(facetNames.map((facet) => [facet, z.preprocess(listOf, z.array(z.string()))])),
});

export default async function searchRoutes(app: FastifyInstance) {
  app.get('/dataset', { config: { pageCache: true } }, async (request, reply) => {
    const query = searchQuery.parse(request.query ?? {}) as z.infer<typeof searchQuery> & Record<FacetName, string[]>;
    const page = parsePage(query.page, pageSize);
    const filters = Object.fromEntries(facetNames.map((facet) => [facet, query[facet].map((value) => facetValueFromUrl(facet, value))]));
    const sort = query.sort === 'relevance' && !query.q ? 'updated' : query.sort;
    const { searchExactCountLimit } = await app.settings.site();
    const [result, names] = await Promise.all([
      app.datasetSearch.search({ text: query.q, filters, sort, page: page.page, pageSize, exactCountLimit: searchExactCountLimit }),
      app.datasetSearch.labels(),
    ]);
    const currentUrl = new URL(request.url, 'http://portal.local');
    const pageCount = Math.max(1, Math.ceil(result.total / pageSize));
    return reply.page('public/dataset-list', {
      title: query.q ? request.t('search.results_for', { query: query.q }) : request.t('datasets.list_title'),
      query: query.q,
      sort,
      sortOptions: sortOptions.map((value) => ({ value, label: request.t(`search.sort_${value}`) })),
      selected: Object.entries(filters).flatMap(([facet, values]) => values.map((value) => ({ facet, value }))),
      facets: presentFacets(result.facets, filters, currentUrl, names, request.locale, request.t, result.estimated),
      countText: presentCount(result, query.q, request.locale, request.t),
      page: { items: result.hits.map((hit) => presentHit(hit, query.q, names, request.locale)), total: result.total, page: page.page, pageSize, pageCount },
      approximate: result.approximate,
      degraded: result.degraded,
      hiddenFilters: facetNames.flatMap((facet) => query[facet].map((value) => ({ name: facet, value }))),
    });
  });
}
