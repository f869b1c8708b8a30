import { and, arrayOverlaps, inArray, type SQL, sql } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/client.ts';
import { searchDocuments } from './search.table.ts';
import { type FacetName, facetNames, fold, queryTerms, type SearchDocument, type SearchEngine, type SearchQuery, type SearchResult } from './search.types.ts';

/**
 * How long the facets of a search without words (the default /dataset page, a topic's or an agency's
 * list, any sort) are reused: they are the same for every visitor. This process forgets them as soon
 * as it writes to the index; another process sharing the database (a second web server, the cli) does
 * not tell us, so its changes show after this long at most.
 */
const textlessFacetsTtlMs = 5_000;
/** Filter combinations remembered at once; the oldest is forgotten first. */
const textlessFacetsEntries = 200;

/** The column behind each facet; array columns hold several values per dataset. */
export const facetColumns = {
  topic: { column: searchDocuments.topicSlug, array: false },
  agency: { column: searchDocuments.agencySlug, array: false },
  format: { column: searchDocuments.formats, array: true },
  frequency: { column: searchDocuments.updateFrequency, array: false },
  tag: { column: searchDocuments.tags, array: true },
  licence: { column: searchDocuments.licence, array: false },
} as const satisfies Record<FacetName, { column: unknown; array: boolean }>;

function filterConditions(query: SearchQuery): SQL[] {
  const conditions: SQL[] = [];
  for (const facet of facetNames) {
    const values = query.filters[facet];
    if (!values || values.length === 0) continue;
    const { column, array } = facetColumns[facet];
    // Values are bound parameters, never spliced into SQL text.
    conditions.push(array ? arrayOverlaps(column as never, values) : inArray(column as never, values));
  }
  return conditions;
}

/** What the words of a query select and how the hits are ordered when sorting by relevance. */
interface Condition {
  match: SQL;
  relevance: SQL[];
  /** Typo fallback: titles close to the query rather than documents holding its words. */
  near?: boolean;
}

interface Counted {
  total: number;
  facets: SearchResult['facets'];
}

const newestFirst = sql`${searchDocuments.publishedAt} desc nulls last`;

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/** PostgreSQL full-text search over folded text ("simple" configuration: no Vietnamese stemmer exists). */
export function createPostgresEngine(db: Database): SearchEngine {
  /** Bumped by every write to the index, so that cached facets are never older than this process's own changes. */
  let generation = 0;
  const textlessFacets = new Map<string, { generation: number; expires: number; counted: Promise<Counted> }>();

  function selectHits(q: Queryable, query: SearchQuery, where: SQL | undefined, condition: Condition | null) {
    // "nulls last" as the indexes say (drizzle-kit writes DESC NULLS LAST): a plain "desc" means nulls
    // first, which those indexes cannot answer, and every "newest first" page sorted the whole table.
    const order =
      query.sort === 'name'
        ? [sql`${searchDocuments.title} asc`]
        : query.sort === 'updated' || (query.sort === 'relevance' && !condition)
          ? [newestFirst]
          : query.sort === 'downloads'
            ? // The indexed copy the indexer writes: a per-row sum over resource_downloads took minutes at 100k.
              [sql`${searchDocuments.downloads} desc nulls last`, newestFirst]
            : (condition?.relevance ?? []);
    // No count(*) over (): it would make every sort visit every match instead of stopping after a page.
    return q
      .select({
        datasetId: searchDocuments.datasetId,
        slug: searchDocuments.slug,
        title: searchDocuments.title,
        description: searchDocuments.description,
        topicSlug: searchDocuments.topicSlug,
        agencySlug: searchDocuments.agencySlug,
        formats: searchDocuments.formats,
        updateFrequency: searchDocuments.updateFrequency,
        publishedAt: searchDocuments.publishedAt,
      })
      .from(searchDocuments)
      .where(where)
      .orderBy(...order)
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
  }

  /**
   * The total and every facet in one pass over the matches: they are grouped by their combination of
   * facet values first (a few thousand combinations for 100k datasets), and each facet adds those up.
   */
  async function countFacets(q: Queryable, where: SQL | undefined): Promise<Counted> {
    const combination = facetNames.map((facet) => sql.identifier(facetColumns[facet].column.name));
    const result = await q.execute(sql`
      with combinations as (
        select ${sql.join(combination, sql`, `)}, count(*)::int as n
        from ${searchDocuments} ${where ? sql`where ${where}` : sql``}
        group by ${sql.join(combination, sql`, `)}
      )
      select 'total' as facet, '' as value, coalesce(sum(n), 0)::int as count from combinations
      ${sql.join(
        facetNames.map((facet, i) => {
          const { array } = facetColumns[facet];
          const name = combination[i];
          return array
            ? sql` union all select ${facet}, value, sum(n)::int from combinations, unnest(${name}) as value group by value`
            : sql` union all select ${facet}, ${name}, sum(n)::int from combinations group by ${name}`;
        }),
        sql``,
      )}`);
    const facets = Object.fromEntries(facetNames.map((facet) => [facet, [] as Array<{ value: string; count: number }>])) as SearchResult['facets'];
    let total = 0;
    for (const row of rowsOf<{ facet: FacetName | 'total'; value: string; count: number }>(result)) {
      if (row.facet === 'total') total = Number(row.count);
      else facets[row.facet].push({ value: row.value, count: Number(row.count) });
    }
    for (const facet of facetNames) facets[facet].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    return { total, facets };
  }

  /** Facets of a search without words, counted once for every visitor for a few seconds. */
  function countTextlessFacets(query: SearchQuery, where: SQL | undefined): Promise<Counted> {
    const key = JSON.stringify(facetNames.map((facet) => [...new Set(query.filters[facet] ?? [])].sort()));
    const now = Date.now();
    const cached = textlessFacets.get(key);
    if (cached && cached.generation === generation && cached.expires > now) return cached.counted;
    const entry = { generation, expires: now + textlessFacetsTtlMs, counted: countFacets(db, where) };
    textlessFacets.delete(key);
    textlessFacets.set(key, entry);
    if (textlessFacets.size > textlessFacetsEntries) textlessFacets.delete(textlessFacets.keys().next().value as string);
    // A failed count is not remembered.
    entry.counted.catch(() => {
      if (textlessFacets.get(key) === entry) textlessFacets.delete(key);
    });
    return entry.counted;
  }

  /**
   * Runs a query on words in a transaction that rules out sequential scans. The planner prices `@@`
   * as one cheap operator, so above ~20% of the index it reads the whole table and unpacks every
   * document's tsvector (300 ms at 100k) instead of taking the GIN index's exact list of matches.
   */
  function throughIndexes<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    return db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return work(tx);
    });
  }

  async function run(query: SearchQuery, condition: Condition | null): Promise<Omit<SearchResult, 'approximate'>> {
    const filters = filterConditions(query);
    const where = and(...filters, ...(condition ? [condition.match] : []));
    if (!condition) {
      const [rows, counted] = await Promise.all([selectHits(db, query, where, null), countTextlessFacets(query, where)]);
      // A page past the end has no rows but still gets the total, for the way back.
      return { total: counted.total, hits: rows, facets: counted.facets };
    }
    if (condition.near) {
      // Near-misses cost a trigram comparison per candidate title: count facets only when there are some.
      const rows = await throughIndexes((q) => selectHits(q, query, where, condition));
      if (rows.length === 0 && query.page === 1) return { total: 0, hits: [], facets: emptyFacets() };
      const counted = await throughIndexes((q) => countFacets(q, where));
      return { total: counted.total, hits: rows, facets: counted.facets };
    }
    // Both at once, on two connections of a server pool; without matches the index answers both at once.
    const [rows, counted] = await Promise.all([
      throughIndexes((q) => selectHits(q, query, where, condition)),
      throughIndexes((q) => countFacets(q, where)),
    ]);
    return { total: counted.total, hits: rows, facets: counted.facets };
  }

  return {
    name: 'postgres',
    async setup() {},
    async upsert(documents: SearchDocument[]) {
      if (documents.length === 0) return;
      generation++;
      const rows = documents.map((document) => ({ ...document, tagText: document.tags.join(' ') }));
      await db
        .insert(searchDocuments)
        .values(rows)
        .onConflictDoUpdate({
          target: searchDocuments.datasetId,
          set: {
            slug: sql`excluded.slug`,
            title: sql`excluded.title`,
            description: sql`excluded.description`,
            tags: sql`excluded.tags`,
            tagText: sql`excluded.tag_text`,
            resourceNames: sql`excluded.resource_names`,
            topicSlug: sql`excluded.topic_slug`,
            agencySlug: sql`excluded.agency_slug`,
            formats: sql`excluded.formats`,
            updateFrequency: sql`excluded.update_frequency`,
            licence: sql`excluded.licence`,
            publishedAt: sql`excluded.published_at`,
            downloads: sql`excluded.downloads`,
          },
        });
      // Once more after the write: a count that started during it may have seen the old rows.
      generation++;
    },
    async remove(datasetIds: string[]) {
      if (datasetIds.length === 0) return;
      generation++;
      await db.delete(searchDocuments).where(inArray(searchDocuments.datasetId, datasetIds));
      generation++;
    },
    async clear() {
      generation++;
      await db.delete(searchDocuments);
      generation++;
    },
    async search(query: SearchQuery): Promise<SearchResult> {
      const terms = queryTerms(query.text);
      if (terms.length === 0) return { ...(await run(query, null)), approximate: false };
      // Every word must match, as a prefix ("truong" finds "trường", "truong hoc" finds "trường học").
      const tsquery = sql`to_tsquery('simple', ${terms.map((term) => `${term}:*`).join(' & ')})`;
      const exact = await run(query, {
        match: sql`${searchDocuments.searchVector} @@ ${tsquery}`,
        relevance: [sql`ts_rank_cd(${searchDocuments.searchVector}, ${tsquery}) desc`, newestFirst],
      });
      if (exact.total > 0 || query.page > 1) return { ...exact, approximate: false };
      // Nothing matched exactly: offer titles that are close (a typo, a missing letter). `<%` is
      // word_similarity ≥ pg_trgm.word_similarity_threshold (0.6 unless the database says otherwise),
      // in the operator form that the trigram index on title_folded answers.
      const folded = fold(query.text).slice(0, 200);
      const near = await run(query, {
        match: sql`${folded} <% ${searchDocuments.titleFolded}`,
        relevance: [sql`${folded} <<-> ${searchDocuments.titleFolded} asc`, newestFirst],
        near: true,
      });
      return { ...near, approximate: near.total > 0 };
    },
    async ping() {
      await db.select({ one: sql`1` }).from(searchDocuments).limit(1);
    },
  };
}

function emptyFacets(): SearchResult['facets'] {
  return Object.fromEntries(facetNames.map((facet) => [facet, []])) as unknown as SearchResult['facets'];
}
