import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../../db/client.ts';
import { isQueryCanceled } from '../../db/errors.ts';
import { listActiveAgencies } from '../agencies/agencies.repository.ts';
import { listTopics } from '../topics/topics.repository.ts';
import type { Labels } from './search.presenter.ts';
import { facetColumns } from './postgres-engine.ts';
import { searchDocuments } from './search.table.ts';
import { type FacetName, facetNames, type SearchEngine, type SearchQuery, type SearchResult } from './search.types.ts';

interface Logger {
  warn(details: object, message: string): void;
}

/**
 * Which of the values a URL asks for exist in the index; anything else is ignored rather than refused.
 * One index probe per value asked for (each facet column has an index), never a scan of the index.
 */
async function knownFacetValues(db: Database, filters: SearchQuery['filters']): Promise<Record<FacetName, Set<string>>> {
  const known = Object.fromEntries(facetNames.map((facet) => [facet, new Set<string>()])) as Record<FacetName, Set<string>>;
  const probes = facetNames.filter((facet) => facet !== 'licence').flatMap((facet) =>
    [...new Set(filters[facet] ?? [])].map((value) => {
      const { column, array } = facetColumns[facet];
      const found = array ? sql`${column} @> array[${value}]::text[]` : sql`${column} = ${value}`;
      return sql`select ${facet}::text as facet, ${value}::text as value where exists (select 1 from ${searchDocuments} where ${found})`;
    }),
  );
  if (probes.length === 0) return known;
  const result = await db.execute(sql.join(probes, sql` union all `));
  for (const row of rowsOf<{ facet: FacetName; value: string }>(result)) known[row.facet].add(row.value);
  return known;
}

function nothingFound(): SearchResult {
  return { total: 0, hits: [], facets: Object.fromEntries(facetNames.map((facet) => [facet, []])) as unknown as SearchResult['facets'], approximate: false, estimated: false };
}

/**
 * Search with the configured engine; when Meilisearch fails, answer from PostgreSQL and say that
 * results may be incomplete (its index follows the same outbox).
 */
/**
 * Names of topics and agencies change a few times a year but every search page shows them: they are
 * read at most once per this many milliseconds (like the settings), not twice per page.
 */
const labelsTtlMs = 5_000;

export function createSearchService(db: Database, primary: SearchEngine, fallback: SearchEngine, log: Logger) {
  let labels: { at: number; value: Promise<Labels> } | null = null;
  return {
    engineName: primary.name,
    /** Topic and agency names by slug, for hits and facets. */
    labels(): Promise<Labels> {
      if (labels && Date.now() - labels.at < labelsTtlMs) return labels.value;
      const entry = {
        at: Date.now(),
        value: Promise.all([listTopics(db), listActiveAgencies(db)]).then(([topics, agencies]) => ({
          topics: new Map(topics.map((topic) => [topic.slug, { vi: topic.nameVi, en: topic.nameEn }])),
          agencies: new Map(agencies.map((agency) => [agency.slug, agency.name])),
        })),
      };
      labels = entry;
      // A failed read is not kept.
      entry.value.catch(() => {
        if (labels === entry) labels = null;
      });
      return entry.value;
    },
    async search(query: SearchQuery): Promise<SearchResult & { engine: string; degraded: boolean }> {
      const known = await knownFacetValues(db, query.filters);
      // A licence is free text an officer typed: a licence nobody uses matches nothing, it is not ignored.
      const filters = Object.fromEntries(
        facetNames.map((facet) => [facet, (query.filters[facet] ?? []).filter((value) => facet === 'licence' || known[facet].has(value))]),
      ) as SearchQuery['filters'];
      const cleaned = { ...query, filters };
      try {
        if (primary === fallback) return { ...(await primary.search(cleaned)), engine: primary.name, degraded: false };
        try {
          return { ...(await primary.search(cleaned)), engine: primary.name, degraded: false };
        } catch (error) {
          log.warn({ err: error }, 'search engine unavailable; answering from PostgreSQL');
          return { ...(await fallback.search(cleaned)), engine: fallback.name, degraded: true };
        }
      } catch (error) {
        // PostgreSQL's query_canceled: the search's statement timeout ended it.
        if (!isQueryCanceled(error)) throw error;
        log.warn({ text: query.text.slice(0, 200) }, 'search cancelled at its statement timeout');
        return { ...nothingFound(), timedOut: true, engine: fallback.name, degraded: false };
      }
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
