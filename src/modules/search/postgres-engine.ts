import { and, arrayOverlaps, getTableColumns, inArray, type SQL, sql } from 'drizzle-orm';
import { type Database, type Queryable, rowsOf } from '../../db/client.ts';
import { searchDocuments } from './search.table.ts';
import { type FacetName, facetNames, fold, queryTerms, type SearchDocument, type SearchEngine, type SearchQuery, type SearchResult } from './search.types.ts';

/**
 * How long the facets of a search without words (the default /dataset page, a topic's or an agency's
 * list, any sort) are reused: they are the same for every visitor. This process forgets them as soon
 * as it writes to the index; another process sharing the database (a second web server, the cli) does
 * not tell us, so its changes show once this has passed and a background recount has finished.
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
}

interface Counted {
  total: number;
  facets: SearchResult['facets'];
}

interface CachedCount {
  /** The index generation it was counted at: after a write by this process it is not used again. */
  generation: number;
  expires: number;
  counted: Promise<Counted>;
  ready: boolean;
  refreshing: boolean;
}

/** On conflict, every stored column but the key and the generated ones takes the new row's value. */
const upsertSet = Object.fromEntries(
  Object.entries(getTableColumns(searchDocuments))
    .filter(([, column]) => !column.primary && !column.generated)
    .map(([key, column]) => [key, sql`excluded.${sql.identifier(column.name)}`]),
);

const newestFirst = sql`${searchDocuments.publishedAt} desc nulls last`;

const hitColumns = {
  datasetId: searchDocuments.datasetId,
  slug: searchDocuments.slug,
  title: searchDocuments.title,
  description: searchDocuments.description,
  topicSlug: searchDocuments.topicSlug,
  agencySlug: searchDocuments.agencySlug,
  formats: searchDocuments.formats,
  updateFrequency: searchDocuments.updateFrequency,
  publishedAt: searchDocuments.publishedAt,
};

const combinationColumns = sql.join(
  facetNames.map((facet) => sql.identifier(facetColumns[facet].column.name)),
  sql`, `,
);

/** Matches grouped by their combination of facet values; `from` has the facet columns. */
function groupCombinations(from: SQL): SQL {
  return sql`select ${combinationColumns}, count(*)::int as n from ${from} group by ${combinationColumns}`;
}

/** Read from a `combinations` CTE: the total, then the values of each facet with their counts. */
const facetRows = sql`select 'total' as facet, '' as value, coalesce(sum(n), 0)::int as count from combinations${sql.join(
  facetNames.map((facet) => {
    const { column, array } = facetColumns[facet];
    const name = sql.identifier(column.name);
    return array
      ? sql` union all select ${facet}, value, sum(n)::int from combinations, unnest(${name}) as value group by value`
      : sql` union all select ${facet}, ${name}, sum(n)::int from combinations group by ${name}`;
  }),
  sql``,
)}`;

function readFacetRows(rows: Array<{ facet: string; value: string; count: number }>): Counted {
  const facets = emptyFacets();
  let total = 0;
  for (const row of rows) {
    if (row.facet === 'total') total = Number(row.count);
    else facets[row.facet as FacetName].push({ value: row.value, count: Number(row.count) });
  }
  for (const facet of facetNames) facets[facet].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return { total, facets };
}

/** PostgreSQL full-text search over folded text ("simple" configuration: no Vietnamese stemmer exists). */
export function createPostgresEngine(db: Database, options: { textlessFacetsTtlMs?: number } = {}): SearchEngine {
  const ttlMs = options.textlessFacetsTtlMs ?? textlessFacetsTtlMs;
  /** Bumped by every write to the index, so that cached facets are never older than this process's own changes. */
  let generation = 0;
  const textlessFacets = new Map<string, CachedCount>();

  function selectHits(q: Queryable, query: SearchQuery, where: SQL | undefined, condition: Condition | null) {
    // "nulls last" as the indexes say (drizzle-kit writes DESC NULLS LAST): a plain "desc" means nulls
    // first, which those indexes cannot answer, and every "newest first" page sorted the whole table.
    const order =
      query.sort === 'name'
        ? [sql`${searchDocuments.title} collate vi asc`]
        : query.sort === 'updated' || (query.sort === 'relevance' && !condition)
          ? [newestFirst]
          : query.sort === 'downloads'
            ? // The indexed copy the indexer writes: a per-row sum over resource_downloads took minutes at 100k.
              [sql`${searchDocuments.downloads} desc nulls last`, newestFirst]
            : (condition?.relevance ?? []);
    // No count(*) over (): it would make every sort visit every match instead of stopping after a page.
    return q
      .select(hitColumns)
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
    const result = await q.execute(sql`
      with combinations as (${groupCombinations(sql`${searchDocuments} ${where ? sql`where ${where}` : sql``}`)})
      ${facetRows}`);
    return readFacetRows(rowsOf(result));
  }

  /** Facets of a search without words, counted once for every visitor for a few seconds. */
  function countTextlessFacets(query: SearchQuery, where: SQL | undefined): Promise<Counted> {
    const key = JSON.stringify(facetNames.map((facet) => [...new Set(query.filters[facet] ?? [])].sort()));
    const cached = textlessFacets.get(key);
    if (cached?.generation === generation) {
      if (cached.expires > Date.now()) return cached.counted;
      if (cached.ready) {
        // Expired, and only another process can have changed the index since: count again in the
        // background and answer from the last count meanwhile, so that no visitor waits for a count.
        if (!cached.refreshing) refresh(key, where, cached);
        return cached.counted;
      }
    }
    const entry = count(where);
    remember(key, entry);
    // A failed count is not remembered: the next visitor counts again.
    entry.counted.catch(() => {
      if (textlessFacets.get(key) === entry) textlessFacets.delete(key);
    });
    return entry.counted;
  }

  function count(where: SQL | undefined): CachedCount {
    const entry: CachedCount = { generation, expires: Date.now() + ttlMs, counted: countFacets(db, where), ready: false, refreshing: false };
    entry.counted.then(
      () => {
        entry.ready = true;
      },
      () => {},
    );
    return entry;
  }

  function refresh(key: string, where: SQL | undefined, stale: CachedCount) {
    stale.refreshing = true;
    const entry = count(where);
    entry.counted.then(
      () => {
        if (textlessFacets.get(key) === stale) remember(key, entry);
      },
      () => {
        stale.refreshing = false;
      },
    );
  }

  function remember(key: string, entry: CachedCount) {
    textlessFacets.delete(key);
    textlessFacets.set(key, entry);
    if (textlessFacets.size > textlessFacetsEntries) textlessFacets.delete(textlessFacets.keys().next().value as string);
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

  /**
   * Titles close to a query that matched nothing (a typo, a missing letter). `<%` is word_similarity
   * ≥ pg_trgm.word_similarity_threshold (0.6 unless the database says otherwise), in the form the
   * trigram index on title_folded answers. Comparing a title costs more than anything else here, so
   * each candidate is compared once: one statement keeps the near-misses, counts their facets and
   * picks the page; a second fetches that page by primary key.
   */
  async function nearMisses(query: SearchQuery, folded: string): Promise<Omit<SearchResult, 'approximate'>> {
    const where = and(...filterConditions(query), sql`${folded} <% ${searchDocuments.titleFolded}`);
    const order =
      query.sort === 'name'
        ? sql`title collate vi asc`
        : query.sort === 'updated'
          ? sql`published_at desc`
          : query.sort === 'downloads'
            ? sql`downloads desc, published_at desc`
            : sql`distance asc, published_at desc`;
    const [found] = await throughIndexes(async (q) =>
      rowsOf<{ facets: Array<[string, string, number]> | null; page: string[] | null }>(
        await q.execute(sql`
          with near as materialized (
            select dataset_id, title, published_at, downloads, ${folded} <<-> title_folded as distance, ${combinationColumns}
            from ${searchDocuments} where ${where}
          ),
          combinations as (${groupCombinations(sql`near`)}),
          counted as (${facetRows})
          select
            (select json_agg(json_build_array(facet, value, count)) from counted) as facets,
            (select json_agg(dataset_id order by position) from (
              select dataset_id, row_number() over (order by ${order}) as position from near
              order by ${order} limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}
            ) as page) as page`),
      ),
    );
    const counted = readFacetRows((found?.facets ?? []).map(([facet, value, count]) => ({ facet, value, count })));
    const page = found?.page ?? [];
    if (page.length === 0) return { ...counted, hits: [] };
    const rows = await db.select(hitColumns).from(searchDocuments).where(inArray(searchDocuments.datasetId, page));
    const position = new Map(page.map((id, i) => [id, i]));
    return { ...counted, hits: rows.sort((a, b) => (position.get(a.datasetId) ?? 0) - (position.get(b.datasetId) ?? 0)) };
  }

  async function run(query: SearchQuery, condition: Condition | null): Promise<Omit<SearchResult, 'approximate'>> {
    const filters = filterConditions(query);
    const where = and(...filters, ...(condition ? [condition.match] : []));
    if (!condition) {
      const [rows, counted] = await Promise.all([selectHits(db, query, where, null), countTextlessFacets(query, where)]);
      // A page past the end has no rows but still gets the total, for the way back.
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
          set: upsertSet,
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
      if (exact.total > 0) return { ...exact, approximate: false };
      // Nothing matched exactly: offer titles that are close.
      const near = await nearMisses(query, fold(query.text).slice(0, 200));
      return { ...near, approximate: near.total > 0 };
    },
    async ping() {
      await db.select({ one: sql`1` }).from(searchDocuments).limit(1);
    },
  };
}

function emptyFacets(): SearchResult['facets'] {
  return Object.fromEntries(facetNames.map((facet) => [facet, [] as Array<{ value: string; count: number }>])) as SearchResult['facets'];
}
