import { and, arrayOverlaps, getTableColumns, inArray, type SQL, sql } from 'drizzle-orm';
import { type Database, type Queryable, rowsOf } from '../../db/client.ts';
import { searchDocuments } from './search.table.ts';
import {
  defaultExactCountLimit,
  type FacetName,
  facetNames,
  fold,
  type ParsedQuery,
  parseQuery,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
  type SortOption,
  indexText,
  syllablePairs,
} from './search.types.ts';

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

/**
 * Above the exact-count limit, relevance ranks the newest this-many matches (walking the newest-first
 * index) and the total and facets are estimated from a sample of this many documents: both bounded.
 */
const rankWindow = 200;
/**
 * A page by relevance ranks every match up to this many, or up to this share of the documents;
 * above both, the newest `rankWindow` (see rankedPage).
 */
const rankExactLimit = 1_000;
const denseShare = 0.2;
/**
 * No statement of a search with words runs longer than this (the server cancels it and the service
 * answers with a sentence): whatever someone types, a search cannot hold a connection for long.
 */
const statementTimeoutMs = 3_000;
const sampleSize = 1_000;

/**
 * One way of matching a query, as tsquery text (bound as a parameter, cast by PostgreSQL): `match`
 * selects the documents, `tiers` rank them, best first (a document in none of them ranks last).
 */
interface Level {
  match: string;
  tiers: string[];
}

/**
 * Title, tags, agency and topic: the weights the heading vector gives each field. The description and
 * file names (D) are the rest of the document: a match that is in none of these ranks after them.
 */
const fieldWeights = ['A', 'B', 'C'] as const;

/** Lexemes are [a-z0-9]+ (queryTerms keeps nothing else), so quoting them is all the escaping needed. */
function lexemes(words: string[], prefixLast: boolean, weight = ''): string {
  return words.map((word, i) => `'${word}'${(prefixLast && i === words.length - 1) || weight ? `:${prefixLast && i === words.length - 1 ? '*' : ''}${weight}` : ''}`).join(' & ');
}

/**
 * The levels of a query, narrowest first. One syllable: the syllable, ranked by the field it is in.
 * Several: first the word as typed (its adjacent pairs, i.e. the phrase), ranked phrase-in-title, in
 * tags, in agency/topic, in the description; only when no document has it, every syllable anywhere,
 * ranked all-in-the-title, all-in-tags, … then spread over fields.
 */
export function levelsOf({ terms, lastIsPrefix }: ParsedQuery): Level[] {
  const level = (words: string[]): Level => ({
    match: lexemes(words, lastIsPrefix),
    // In each field, the last syllable as typed before the longer syllables it begins ("chợ" before "chơi").
    tiers: fieldWeights.flatMap((weight) => (lastIsPrefix ? [lexemes(words, false, weight), lexemes(words, true, weight)] : [lexemes(words, false, weight)])),
  });
  if (terms.length === 1) return [level(terms)];
  return [level(syllablePairs(terms)), level(terms)];
}

function tierOf(level: Level, heading: SQL | typeof searchDocuments.headingVector = searchDocuments.headingVector): SQL {
  return sql`case ${sql.join(
    level.tiers.map((tier, i) => sql`when ${heading} @@ ${tier}::tsquery then ${i}`),
    sql` `,
  )} else ${level.tiers.length} end`;
}

/** The order of a sort over the columns of a candidate list (relevance needs its `tier`). */
function orderOf(sort: SortOption): SQL {
  if (sort === 'name') return sql`title collate vi asc`;
  if (sort === 'updated') return sql`published_at desc nulls last`;
  if (sort === 'downloads') return sql`downloads desc nulls last, published_at desc nulls last`;
  // Within a tier: the freshest first, then the most downloaded.
  return sql`tier asc, published_at desc nulls last, downloads desc nulls last`;
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

/** The stored columns (all but the generated one), as upsertStatement writes them. */
const storedColumns = Object.values(getTableColumns(searchDocuments)).filter((column) => !column.generated);

/**
 * One statement for a batch of documents, whatever its size: the rows travel as one JSON parameter. Each
 * field's text is folded and paired here (indexText) and PostgreSQL only splits it into lexemes; the
 * heading's vector is computed once and reused in the whole document's.
 */
function upsertStatement(documents: SearchDocument[]): SQL {
  const rows = documents.map((document) => ({
    dataset_id: document.datasetId,
    slug: document.slug,
    title: document.title,
    description: document.description,
    tags: document.tags,
    // Commas between tags: pairs never cross two tags.
    tag_text: document.tags.join(', '),
    resource_names: document.resourceNames,
    topic_slug: document.topicSlug,
    agency_slug: document.agencySlug,
    topic_name: document.topicName,
    agency_name: document.agencyName,
    formats: document.formats,
    update_frequency: document.updateFrequency,
    licence: document.licence,
    published_at: document.publishedAt.toISOString(),
    downloads: document.downloads,
    a: indexText(document.title),
    b: indexText(document.tags.join(', ')),
    c: indexText(`${document.agencyName}, ${document.topicName}`),
    d: indexText(`${document.description}, ${document.resourceNames}`),
  }));
  const vector = (field: string, weight: string) => sql.raw(`setweight(to_tsvector('simple'::regconfig, ${field}), '${weight}')`);
  const names = sql.join(storedColumns.map((column) => sql.identifier(column.name)), sql`, `);
  const values = sql.join(
    storedColumns.map((column) =>
      column.name === 'heading_vector' ? sql`heading` : column.name === 'search_vector' ? sql`heading || ${vector('d', 'D')}` : sql.identifier(column.name),
    ),
    sql`, `,
  );
  const updates = sql.join(
    storedColumns.filter((column) => !column.primary).map((column) => sql`${sql.identifier(column.name)} = excluded.${sql.identifier(column.name)}`),
    sql`, `,
  );
  return sql`
    insert into ${searchDocuments} (${names})
    select ${values} from (
      select x.*, ${vector('a', 'A')} || ${vector('b', 'B')} || ${vector('c', 'C')} as heading
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(
        dataset_id uuid, slug text, title text, description text, tags text[], tag_text text, resource_names text,
        topic_slug text, agency_slug text, topic_name text, agency_name text, formats text[], update_frequency text,
        licence text, published_at timestamptz, downloads integer, a text, b text, c text, d text)
    ) as r
    on conflict (dataset_id) do update set ${updates}`;
}

const newestFirst = sql`${searchDocuments.publishedAt} desc nulls last`;

/**
 * A sort as the indexes answer it, so that a page stops after its rows. "nulls last" as the indexes say
 * (drizzle-kit writes DESC NULLS LAST): a plain "desc" means nulls first, which those indexes cannot answer.
 * Relevance without words is newest first.
 */
function sortOrder(sort: SortOption): SQL[] {
  if (sort === 'name') return [sql`${searchDocuments.title} collate vi asc`];
  // The indexed copy the indexer writes: a per-row sum over resource_downloads took minutes at 100k.
  if (sort === 'downloads') return [sql`${searchDocuments.downloads} desc nulls last`, newestFirst];
  return [newestFirst];
}

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
export function createPostgresEngine(db: Database, options: { textlessFacetsTtlMs?: number; statementTimeoutMs?: number } = {}): SearchEngine {
  const ttlMs = options.textlessFacetsTtlMs ?? textlessFacetsTtlMs;
  const timeoutMs = Math.max(1, Math.round(options.statementTimeoutMs ?? statementTimeoutMs));
  /** Bumped by every write to the index, so that cached facets are never older than this process's own changes. */
  let generation = 0;
  const textlessFacets = new Map<string, CachedCount>();

  function selectHits(q: Queryable, query: SearchQuery, where: SQL | undefined) {
    // No count(*) over (): it would make every sort visit every match instead of stopping after a page.
    return q
      .select(hitColumns)
      .from(searchDocuments)
      .where(where)
      .orderBy(...sortOrder(query.sort))
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
      // One round trip for all the settings (set_config(…, true) is SET LOCAL).
      await tx.execute(sql`select set_config('enable_seqscan', 'off', true), set_config('statement_timeout', ${String(timeoutMs)}, true)`);
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
  async function nearMisses(query: SearchQuery, folded: string): Promise<Omit<SearchResult, 'approximate' | 'estimated'>> {
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
    return { ...counted, hits: await hitsByIds(found?.page ?? []) };
  }

  async function listWithoutWords(query: SearchQuery): Promise<SearchResult> {
    const where = and(...filterConditions(query));
    const [rows, counted] = await Promise.all([selectHits(db, query, where), countTextlessFacets(query, where)]);
    // A page past the end has no rows but still gets the total, for the way back.
    return { total: counted.total, hits: rows, facets: counted.facets, approximate: false, estimated: false };
  }

  /** The hits of a page, in the order of the ids given. */
  async function hitsByIds(ids: string[]): Promise<SearchHit[]> {
    if (ids.length === 0) return [];
    const rows = await db.select(hitColumns).from(searchDocuments).where(inArray(searchDocuments.datasetId, ids));
    const position = new Map(ids.map((id, i) => [id, i]));
    return rows.sort((a, b) => (position.get(a.datasetId) ?? 0) - (position.get(b.datasetId) ?? 0));
  }

  /**
   * A level with at most `limit` matches: they are found through the GIN index and counted and
   * faceted exactly, and the page picked, in one statement. Tiers are computed only once the count is
   * known to be within the limit: a broad query wastes the count, not the ranking. Returns null when
   * there are more (the caller estimates).
   */
  async function exactLevel(query: SearchQuery, level: Level, limit: number): Promise<SearchResult | null> {
    const where = and(...filterConditions(query), sql`${searchDocuments.searchVector} @@ ${level.match}::tsquery`);
    const order = orderOf(query.sort);
    const within = sql`(select count(*) from candidates) <= ${limit}`;
    // By relevance, matches are ranked here unless they are many and dense: then walking the newest
    // (rankedPage) meets one every few rows, where a sparse set would be walked through most documents.
    const byRelevance = query.sort === 'relevance';
    const documents = byRelevance ? (await countTextlessFacets(query, and(...filterConditions(query)))).total : 0;
    const walkFrom = Math.max(rankExactLimit, Math.ceil(documents * denseShare));
    const rankedHere = byRelevance ? sql`(select count(*) from candidates) <= ${walkFrom}` : sql`true`;
    const [found] = await throughIndexes(async (q) =>
      rowsOf<{ n: number; facets: Array<[string, string, number]> | null; page: string[] | null }>(
        await q.execute(sql`
          with candidates as materialized (
            select dataset_id, title, published_at, downloads, heading_vector, ${combinationColumns}
            from ${searchDocuments} where ${where} limit ${limit + 1}
          ),
          combinations as (select ${combinationColumns}, count(*)::int as n from candidates where ${within} group by ${combinationColumns}),
          counted as (${facetRows})
          select
            (select count(*) from candidates)::int as n,
            (select json_agg(json_build_array(facet, value, count)) from counted) as facets,
            (select json_agg(dataset_id order by position) from (
              select dataset_id, row_number() over (order by ${order}) as position
              from (select *, ${tierOf(level, sql`heading_vector`)} as tier from candidates where ${within} and ${rankedHere}) as ranked
              order by ${order} limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}
            ) as page) as page`),
      ),
    );
    const matches = Number(found?.n ?? 0);
    if (matches > limit) return null;
    const counted = readFacetRows((found?.facets ?? []).map(([facet, value, count]) => ({ facet, value, count })));
    const hits = byRelevance && matches > walkFrom ? await rankedPage(query, level) : await hitsByIds(found?.page ?? []);
    return { ...counted, hits, approximate: false, estimated: false };
  }

  /**
   * A page by relevance among more than `rankExactLimit` matches: ranking each would mean reading
   * every match, so the newest-first index is walked and the newest `rankWindow` matches are ranked, tier
   * first (a phrase in a title fills the first page); an older document of a better tier comes later
   * than exact ranking would put it. The heading is tested first: most broad matches are in it, and it is
   * small, where the whole document's vector is unpacked from TOAST.
   */
  async function rankedPage(query: SearchQuery, level: Level): Promise<SearchHit[]> {
    const offset = (query.page - 1) * query.pageSize;
    const matches = sql`(${searchDocuments.headingVector} @@ ${level.match}::tsquery or ${searchDocuments.searchVector} @@ ${level.match}::tsquery)`;
    return walkingIndexes(async (q) => {
      const newest = q
        .select({ ...hitColumns, downloads: searchDocuments.downloads, tier: sql<number>`${tierOf(level)}`.as('tier') })
        .from(searchDocuments)
        .where(and(...filterConditions(query), matches))
        .orderBy(newestFirst)
        .limit(Math.max(rankWindow, offset + query.pageSize))
        .as('newest');
      const rows = await q
        .select()
        .from(newest)
        .orderBy(sql`tier`, sql`${newest.publishedAt} desc nulls last`, sql`${newest.downloads} desc nulls last`)
        .limit(query.pageSize)
        .offset(offset);
      return rows.map(({ tier: _tier, downloads: _downloads, ...hit }) => hit);
    });
  }

  /**
   * A level with more matches than the exact-count limit, in bounded time: the page comes from walking
   * the sort's index and keeping matches (relevance: see rankedPage), the total and facets from a
   * uniform sample of the filtered documents (ids are random), scaled up.
   */
  async function plannedMatches(query: SearchQuery, level: Level): Promise<number> {
    const where = and(...filterConditions(query), sql`${searchDocuments.searchVector} @@ ${level.match}::tsquery`);
    const [plan] = rowsOf<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(
      await db.execute(sql`explain (format json) select 1 from ${searchDocuments} where ${where}`),
    );
    return Number(plan?.['QUERY PLAN']?.[0]?.Plan?.['Plan Rows'] ?? 0);
  }

  /** Null when the sample says the planner overestimated (then the exact path answers). */
  async function broadLevel(query: SearchQuery, level: Level, limit: number, seenMore = false): Promise<SearchResult | null> {
    const filters = filterConditions(query);
    const matches = sql`(${searchDocuments.headingVector} @@ ${level.match}::tsquery or ${searchDocuments.searchVector} @@ ${level.match}::tsquery)`;
    const where = and(...filters, matches);
    const offset = (query.page - 1) * query.pageSize;
    const page =
      query.sort === 'relevance'
        ? rankedPage(query, level)
        : walkingIndexes((q) => q.select(hitColumns).from(searchDocuments).where(where).orderBy(...sortOrder(query.sort)).limit(query.pageSize).offset(offset));
    const sampled = walkingIndexes(async (q) =>
      rowsOf<{ sampled: number; hits: number; facets: Array<[string, string, number]> | null }>(
        await q.execute(sql`
          with sample as materialized (
            select ${combinationColumns}, ${matches} as hit
            from ${searchDocuments} ${filters.length > 0 ? sql`where ${and(...filters)}` : sql``}
            order by ${searchDocuments.datasetId} limit ${sampleSize}
          ),
          combinations as (select ${combinationColumns}, count(*)::int as n from sample where hit group by ${combinationColumns}),
          counted as (${facetRows})
          select (select count(*) from sample)::int as sampled, (select count(*) from sample where hit)::int as hits,
            (select json_agg(json_build_array(facet, value, count)) from counted) as facets`),
      ),
    );
    const [hits, [sample], whole] = await Promise.all([page, sampled, countTextlessFacets(query, and(...filters))]);
    const scale = whole.total / Math.max(1, Number(sample?.sampled ?? 1));
    if (!seenMore && Number(sample?.hits ?? 0) * scale <= limit) return null;
    const counted = readFacetRows(
      (sample?.facets ?? []).map(([facet, value, count]) => ({ facet, value, count: facet === 'total' ? count : Math.max(1, Math.round(count * scale)) })),
    );
    // More than the limit were seen (or planned): an estimate below it would contradict the exact path.
    const total = Math.min(whole.total, Math.max(limit + 1, Math.round(Number(sample?.hits ?? 0) * scale)));
    return { total, facets: counted.facets, hits, approximate: false, estimated: true };
  }

  /**
   * Reads rows in the order of an index and stops after a page: for a query matching a large share of
   * the documents this visits a few rows per hit, where the GIN index would list every match first.
   */
  function walkingIndexes<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    return db.transaction(async (tx) => {
      await tx.execute(
        sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('statement_timeout', ${String(timeoutMs)}, true)`,
      );
      return work(tx);
    });
  }

  return {
    name: 'postgres',
    async setup() {},
    async upsert(documents: SearchDocument[]) {
      if (documents.length === 0) return;
      generation++;
      await db.execute(upsertStatement(documents));
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
      const parsed = parseQuery(query.text);
      if (parsed.terms.length === 0) return listWithoutWords(query);
      const limit = query.exactCountLimit ?? defaultExactCountLimit;
      // The narrowest level with matches answers: the word as typed ("dân số" together), then its syllables.
      for (const level of levelsOf(parsed)) {
        // The planner's estimate (from the index's statistics, a fraction of a millisecond) spares a broad
        // query the count that would overflow; a wrong guess costs one more statement, never a wrong answer.
        if ((await plannedMatches(query, level)) > limit) {
          const broad = await broadLevel(query, level, limit);
          if (broad) return broad;
        }
        const exact = await exactLevel(query, level, limit);
        if (exact === null) return (await broadLevel(query, level, limit, true)) as SearchResult;
        if (exact.total > 0) return exact;
      }
      // Nothing matched exactly: offer titles that are close.
      const near = await nearMisses(query, fold(query.text).slice(0, 200));
      return { ...near, approximate: near.total > 0, estimated: false };
    },
    async ping() {
      await db.select({ one: sql`1` }).from(searchDocuments).limit(1);
    },
  };
}

function emptyFacets(): SearchResult['facets'] {
  return Object.fromEntries(facetNames.map((facet) => [facet, [] as Array<{ value: string; count: number }>])) as SearchResult['facets'];
}
