import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { searchDocuments } from './search.table.ts';
import { type FacetName, facetNames, type SearchEngine, type SearchQuery, type SearchResult } from './search.types.ts';

interface Logger {
  warn(details: object, message: string): void;
}

/** Facet values that exist in the index; anything else in a URL is ignored rather than refused. */
async function knownFacetValues(db: Database): Promise<Record<FacetName, Set<string>>> {
  const result = await db.execute(sql`
    select 'topic' as facet, topic_slug as value from ${searchDocuments}
    union select 'agency', agency_slug from ${searchDocuments}
    union select 'format', unnest(formats) from ${searchDocuments}
    union select 'frequency', update_frequency from ${searchDocuments}
    union select 'tag', unnest(tags) from ${searchDocuments}
    union select 'licence', licence from ${searchDocuments}`);
  const known = Object.fromEntries(facetNames.map((facet) => [facet, new Set<string>()])) as Record<FacetName, Set<string>>;
  for (const row of (result as unknown as { rows: Array<{ facet: FacetName; value: string }> }).rows) known[row.facet].add(row.value);
  return known;
}

/**
 * Search with the configured engine; when Meilisearch fails, answer from PostgreSQL and say that
 * results may be incomplete (its index follows the same outbox).
 */
export function createSearchService(db: Database, primary: SearchEngine, fallback: SearchEngine, log: Logger) {
  return {
    engineName: primary.name,
    async search(query: SearchQuery): Promise<SearchResult & { engine: string; degraded: boolean }> {
      // Validating filter values scans the index: only when the URL has filters.
      const hasFilters = facetNames.some((facet) => (query.filters[facet] ?? []).length > 0);
      const known = hasFilters ? await knownFacetValues(db) : null;
      const filters = Object.fromEntries(
        facetNames.map((facet) => [facet, (query.filters[facet] ?? []).filter((value) => known?.[facet].has(value))]),
      ) as SearchQuery['filters'];
      const cleaned = { ...query, filters };
      if (primary === fallback) return { ...(await primary.search(cleaned)), engine: primary.name, degraded: false };
      try {
        return { ...(await primary.search(cleaned)), engine: primary.name, degraded: false };
      } catch (error) {
        log.warn({ err: error }, 'search engine unavailable; answering from PostgreSQL');
        return { ...(await fallback.search(cleaned)), engine: fallback.name, degraded: true };
      }
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
