import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../../db/client.ts';
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
  const probes = facetNames.flatMap((facet) =>
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

/**
 * Search with the configured engine; when Meilisearch fails, answer from PostgreSQL and say that
 * results may be incomplete (its index follows the same outbox).
 */
export function createSearchService(db: Database, primary: SearchEngine, fallback: SearchEngine, log: Logger) {
  return {
    engineName: primary.name,
    async search(query: SearchQuery): Promise<SearchResult & { engine: string; degraded: boolean }> {
      const known = await knownFacetValues(db, query.filters);
      const filters = Object.fromEntries(
        facetNames.map((facet) => [facet, (query.filters[facet] ?? []).filter((value) => known[facet].has(value))]),
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
