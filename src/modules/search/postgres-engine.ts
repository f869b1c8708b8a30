import { and, arrayOverlaps, getTableColumns, inArray, type SQL, sql } from 'drizzle-orm';
import { type Database, type Queryable, rowsOf } from '../../db/client.ts';
import { messagesOf } from './postgres-messages.ts';
import { searchDocuments, searchVocabulary } from './search.table.ts';
import {
  defaultExactCountLimit,
  type FacetName,
  facetNames,
  indexText,
  type ParsedQuery,
  parseQuery,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
  type SortOption,
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
/**
 * How long the estimate of a broad match (more matches than the exact-count limit: its total, facets
 * and relevance tiers) is reused. Finding the candidates of a word that most documents hold builds a
 * bitmap of every match (15 ms for 64,000 at 100k), the bulk of such a search, and broad words are
 * the ones many people type. The page itself is always read fresh; a write by this process forgets
 * them all (as the textless facets). Elasticsearch's shard request cache keeps aggregations likewise.
 */
const broadEstimateTtlMs = 60_000;
const broadEstimateEntries = 500;

/** What a broad match's candidates said, enough to walk any page of it without finding them again. */
interface BroadEstimate {
  generation: number;
  expires: number;
  /** Counted exactly: a list without words, whose counts are the same for every visitor (see matching). */
  exact?: boolean;
  total: number;
  facets: SearchResult['facets'];
  tiers: Array<{ index: number; sampled: number; density: number }>;
}

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
 * No statement of a search with words runs longer than this (the server cancels it and the service
 * answers with a sentence): whatever someone types, a search cannot hold a connection for long.
 */
const statementTimeoutMs = 3_000;
/**
 * Typos (see correctTypos): a syllable alone is corrected from this many letters ("dan" is never
 * "danh"), one edit away, two from `twoTyposLength`: Meilisearch's defaults, which its engine is set to.
 */
const typoMinLength = 5;
/** Above the exact-count limit, the total is estimated from the matches among about this many documents. */
const sampleSize = 1_000;
/** How many of the candidates say which relevance tiers a broad query's matches fall in. */
const tierSample = 300;
/** A tier is walked in the newest-first index only when this many of the sampled candidates are in it. */
const walkMinSampled = 3;
const twoTyposLength = 9;

/**
 * One way of matching a query, as tsquery text (bound as a parameter, cast by PostgreSQL): `match`
 * selects the documents, `tiers` rank them, best first (a document in none of them ranks last).
 */
interface Level {
  match: string;
  tiers: string[];
  /** The lexemes `match` requires (the last a prefix when `prefixLast`), for their shares of the index. */
  words: string[];
  prefixLast: boolean;
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
    words,
    prefixLast: lastIsPrefix,
    match: lexemes(words, lastIsPrefix),
    // In each field, the last syllable as typed before the longer syllables it begins ("chợ" before "chơi").
    tiers: fieldWeights.flatMap((weight) => (lastIsPrefix ? [lexemes(words, false, weight), lexemes(words, true, weight)] : [lexemes(words, false, weight)])),
  });
  if (terms.length === 1) return [level(terms)];
  return [level(syllablePairs(terms)), level(terms)];
}

function tierOf(level: Level, heading: SQL | typeof searchDocuments.headingVector = searchDocuments.headingVector): SQL {
  return sql`case ${sql.join(
    // The tiers' numbers are written in: as parameters of a prepared statement they would have no type.
    level.tiers.map((tier, i) => sql`when ${heading} @@ ${tier}::tsquery then ${sql.raw(String(i))}`),
    sql` `,
  )} else ${sql.raw(String(level.tiers.length))} end`;
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
    facet_values: facetValuesOf(document),
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
  // The heading's syllables and pairs, for typo corrections (capped: a pasted essay is not vocabulary).
  const words = [...new Set(rows.flatMap((row) => `${row.a} ${row.b} ${row.c}`.split(/[^a-z0-9]+/)))].filter((word) => word.length > 0 && word.length <= 40);
  return sql`
    with vocabulary as (
      insert into ${searchVocabulary} (word) select value from json_array_elements_text(${JSON.stringify(words)}::json) on conflict do nothing
    )
    insert into ${searchDocuments} (${names})
    select ${values} from (
      select x.*, ${vector('a', 'A')} || ${vector('b', 'B')} || ${vector('c', 'C')} as heading
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(
        dataset_id uuid, slug text, title text, description text, tags text[], tag_text text, resource_names text,
        topic_slug text, agency_slug text, topic_name text, agency_name text, formats text[], update_frequency text,
        licence text, facet_values text, published_at timestamptz, downloads integer, a text, b text, c text, d text)
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

/** A document's facet values as the indexer stores them (facet_values): facetNames' order. */
function facetValuesOf(document: Pick<SearchDocument, 'topicSlug' | 'agencySlug' | 'formats' | 'updateFrequency' | 'tags' | 'licence'>): string {
  const values: Record<FacetName, string | string[]> = {
    topic: document.topicSlug,
    agency: document.agencySlug,
    format: document.formats,
    frequency: document.updateFrequency,
    tag: document.tags,
    licence: document.licence,
  };
  return JSON.stringify(facetNames.map((facet) => values[facet]));
}

/**
 * Matches (`from` has facet_values) grouped by their combination of facet values, as one text: each
 * combination's JSON, a unit separator and its count, combinations apart by a record separator. JSON
 * escapes every control character, so neither separator can occur inside one; text costs less than
 * building JSON around JSON.
 */
function combinationsOf(from: SQL): SQL {
  return sql`(select string_agg(facet_values || chr(31) || n, chr(30)) from (select facet_values, count(*)::int as n from ${from} group by facet_values) as counted)`;
}

type Combinations = string | null;

/**
 * Combinations read before, by their text: the same few thousand come back search after search, and
 * parsing them again took about a tenth of a search page's work on the main thread. A text always
 * means the same values, so any process may keep them; emptied when full.
 */
const parsedCombinations = new Map<string, ReadonlyArray<string | string[]>>();
const parsedCombinationsLimit = 20_000;

function combinationRows(text: Combinations): Array<{ values: ReadonlyArray<string | string[]>; n: number }> {
  if (!text) return [];
  return text.split('\x1e').map((row) => {
    const separator = row.lastIndexOf('\x1f');
    const key = row.slice(0, separator);
    let values = parsedCombinations.get(key);
    if (!values) {
      // A list facet's values counted once per dataset even if a value were written twice.
      values = (JSON.parse(key) as Array<string | string[]>).map((cell) => (Array.isArray(cell) ? [...new Set(cell)] : cell));
      if (parsedCombinations.size >= parsedCombinationsLimit) parsedCombinations.clear();
      parsedCombinations.set(key, values);
    }
    return { values, n: Number(row.slice(separator + 1)) };
  });
}

/**
 * The total and facets from combinations of facet values (scaled when counted on a sample): added up
 * here rather than by a UNION of one GROUP BY per facet, which took the planner and executor ~5 ms.
 */
function sumCombinations(text: Combinations, scale: number, total?: number): Counted {
  const facets = emptyFacets();
  const sums = facetNames.map(() => new Map<string, number>());
  let counted = 0;
  const add = (sum: Map<string, number>, value: string, n: number) => sum.set(value, (sum.get(value) ?? 0) + n);
  for (const { values, n } of combinationRows(text)) {
    counted += n;
    for (let i = 0; i < sums.length; i++) {
      const cell = values[i];
      if (Array.isArray(cell)) for (const value of cell) add(sums[i], value, n);
      else add(sums[i], cell as string, n);
    }
  }
  facetNames.forEach((facet, i) => {
    for (const [value, count] of sums[i]) facets[facet].push({ value, count: scale === 1 ? count : Math.max(1, Math.round(count * scale)) });
    facets[facet].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  });
  return { total: total ?? counted, facets };
}
type HitJson = Omit<SearchHit, 'publishedAt'> & { publishedAt: string };

function hitsOf(rows: HitJson[] | null): SearchHit[] {
  return (rows ?? []).map((hit) => ({ ...hit, publishedAt: new Date(hit.publishedAt) }));
}

/** A hit as JSON, from the search_documents row `d`. */
const hitObject = sql.raw(
  "'datasetId', d.dataset_id, 'slug', d.slug, 'title', d.title, 'description', d.description, 'topicSlug', d.topic_slug, " +
    "'agencySlug', d.agency_slug, 'formats', d.formats, 'updateFrequency', d.update_frequency, 'publishedAt', d.published_at",
);

/**
 * Optimal string alignment distance (Levenshtein plus the swap of two neighbouring letters, the most
 * common typo: "hco" for "hoc").
 */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}

/**
 * One statement of a search, answered with its rows (`rowsOf`). `inTableOrder`: its matches are read
 * by scanning the table from its first block instead of through the GIN index (see denseShare).
 * `prepared`: its plan does not depend on its values, so it is planned once (see Messages.sendPrepared).
 */
type Run = (statement: SQL, options?: { inTableOrder?: boolean; prepared?: boolean }) => Promise<unknown>;

/**
 * A word held by at least this share of the documents is read in table order (see denseShare): the
 * `limit + 1` first matches then lie within the first (limit + 1) / share rows. Each row read that way
 * unpacks its document's vector, so a rarer word is slower so: at 100k, words in 8–10 % of the
 * documents took 75–130 ms in table order against 17–24 ms through the index.
 */
const inTableOrderShare = 0.3;
/** How long the index's word shares (pg_stats, refreshed by ANALYZE) are kept. */
const wordSharesTtlMs = 5 * 60_000;

/**
 * The settings that read a statement's matches in table order: no bitmap (the GIN index can serve only
 * bitmaps), and the scan starting at the first block, not where another scan of the table is
 * (synchronised scans), since the estimate reads how far into the table the matches went.
 */
const tableOrderSettings = 'set local enable_seqscan = on; set local enable_bitmapscan = off; set local synchronize_seqscans = off; ';

/**
 * What every statement of a search with words runs under (see throughIndexes): SET LOCAL in a message
 * of several statements lasts until its end (PostgreSQL runs such a message as one implicit
 * transaction), and the statement timeout applies to each statement of it.
 */
export function indexSettings(timeoutMs: number): string {
  return `set local enable_seqscan = off; set local max_parallel_workers_per_gather = 0; set local statement_timeout = ${Math.round(timeoutMs)}; `;
}

/** PostgreSQL full-text search over folded text ("simple" configuration: no Vietnamese stemmer exists). */
export function createPostgresEngine(
  db: Database,
  options: { textlessFacetsTtlMs?: number; statementTimeoutMs?: number; broadEstimateTtlMs?: number } = {},
): SearchEngine {
  const ttlMs = options.textlessFacetsTtlMs ?? textlessFacetsTtlMs;
  const timeoutMs = Math.max(1, Math.round(options.statementTimeoutMs ?? statementTimeoutMs));
  /** Bumped by every write to the index, so that cached facets are never older than this process's own changes. */
  let generation = 0;
  const textlessFacets = new Map<string, CachedCount>();
  const estimateTtlMs = options.broadEstimateTtlMs ?? broadEstimateTtlMs;
  /** Broad matches' estimates and the exact counts of lists without words (see matching), by level and filters; the oldest is forgotten first. */
  const broadEstimates = new Map<string, BroadEstimate>();
  const messages = messagesOf(db);
  /** The number of indexed documents, for estimates: as the textless facets, kept a few seconds and forgotten at a write. */
  let whole: { generation: number; expires: number; count: Promise<number>; ready: boolean; refreshing: boolean } | null = null;

  /**
   * A count(*) rather than the whole index's facets, which searches used to read (and recount every few
   * seconds in the background: a GROUP BY over every document, 0.1–0.5 s of PGlite's single thread at 10k
   * that every request queued behind). Expired, it is recounted while the last count answers.
   */
  function countWhole(): Promise<number> {
    const kept = whole;
    if (kept?.generation === generation && (kept.expires > Date.now() || kept.ready)) {
      if (kept.expires <= Date.now() && !kept.refreshing) {
        kept.refreshing = true;
        const next = wholeEntry();
        next.count.then(
          () => {
            if (whole === kept) whole = next;
          },
          () => {
            kept.refreshing = false;
          },
        );
      }
      return kept.count;
    }
    const entry = wholeEntry();
    whole = entry;
    entry.count.catch(() => {
      if (whole === entry) whole = null;
    });
    return entry.count;
  }

  function wholeEntry() {
    const entry = { generation, expires: Date.now() + ttlMs, count: readWhole(), ready: false, refreshing: false };
    entry.count.then(
      () => {
        entry.ready = true;
      },
      () => {},
    );
    return entry;
  }

  async function readWhole(): Promise<number> {
    const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from ${searchDocuments}`));
    return Number(row?.n ?? 0);
  }

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
    const [found] = rowsOf<{ combinations: Combinations }>(
      await q.execute(sql`select ${combinationsOf(sql`${searchDocuments} ${where ? sql`where ${where}` : sql``}`)} as combinations`),
    );
    return sumCombinations(found?.combinations ?? null, 1);
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

  async function listWithoutWords(query: SearchQuery): Promise<SearchResult> {
    const [rows, counted] = await Promise.all([selectHits(db, query, undefined), countTextlessFacets(query, undefined)]);
    // A page past the end has no rows but still gets the total, for the way back.
    return { total: counted.total, hits: rows, facets: counted.facets, approximate: false, estimated: false };
  }

  /** The narrowest level of the query with matches (the word as typed, then its syllables anywhere). */
  async function firstLevelWithMatches(q: Run, query: SearchQuery, parsed: ParsedQuery, limit: number, whole: number): Promise<SearchResult | null> {
    for (const level of levelsOf(parsed)) {
      const result = await matching(q, query, level, limit, whole);
      if (result) return result;
    }
    return null;
  }

  /**
   * The page, total and facets of one level of a query (or of filters alone, `level` null), at a cost
   * bounded whatever the query matches:
   * - `candidates`: the first `limit + 1` matches the GIN index lists (a bitmap: only those rows are
   *   read), or for a word most documents hold the table's first matching rows (see denseShare), each
   *   with its relevance tier, computed as the row is read (copying heading vectors to rank them
   *   afterwards cost more). Up to `limit`, they are every match: the total and facets are exact and
   *   the page is ranked among them, all in one statement.
   * - Above it, the total is estimated from where the candidates were found: the bitmap scan reads the
   *   table in physical order and stops after `limit + 1` matches, so if they took the first 5% of its
   *   blocks, about 20 × `limit` documents match (a reindex stores documents in random order). No
   *   second pass over the matches: counting a sample of ids unpacked a thousand documents' vectors
   *   (8 ms at 100k). The facets are the candidates' scaled to that total. While the whole index is
   *   smaller than `sampleSize`, it is counted exactly instead (cheap, and a test can check it). A
   *   second statement walks the page (see walkedPage), told which tiers the first candidates fall in.
   *   That estimate is remembered for a while (broadEstimateTtlMs): the next search of the same words
   *   and filters, whatever its sort or page, only walks its page.
   */
  async function matching(q: Run, query: SearchQuery, level: Level | null, limit: number, whole: number): Promise<SearchResult | null> {
    const filters = filterConditions(query);
    const matchSql = level ? sql`${searchDocuments.searchVector} @@ ${level.match}::tsquery` : undefined;
    const where = and(...filters, matchSql) ?? sql`true`;
    const offset = (query.page - 1) * query.pageSize;
    const tier = level ? tierOf(level, sql`heading_vector`) : sql`0`;
    const key = JSON.stringify([level?.match ?? null, facetNames.map((facet) => [...new Set(query.filters[facet] ?? [])].sort()), limit, whole <= sampleSize]);
    let estimate = broadEstimates.get(key);
    if (!estimate || estimate.generation !== generation || estimate.expires <= Date.now()) {
      const started = generation;
      const countAll = whole <= sampleSize;
      const inTableOrder = level !== null && filters.length === 0 && !countAll && (await denseShare(level)) >= inTableOrderShare;
      const [found] = rowsOf<{
        n: number;
        last_block: number | null;
        blocks: number | null;
        all_combinations: Combinations;
        combinations: Combinations;
        tiers: Record<string, number> | null;
        page: HitJson[] | null;
      }>(
        await q(sql`
          with candidates as materialized (
            select dataset_id, title, published_at, downloads, ${tier} as tier, facet_values, ctid
            from ${searchDocuments} where ${where} limit ${limit + 1}
          ),
          within as materialized (select count(*)::int as n from candidates),
          page as (
            select dataset_id, row_number() over (order by ${orderOf(query.sort)}) as position
            from candidates
            where (select n from within) <= ${limit}
            order by position limit ${query.pageSize} offset ${offset}
          )
          select
            (select n from within) as n,
            (select (max(ctid)::text::point)[0]::int from candidates) as last_block,
            -- The table's size is only needed for an estimate (it costs a file system call in PGlite).
            case when (select n from within) > ${limit} then (pg_relation_size('search_documents'::regclass) / current_setting('block_size')::int)::int end as blocks,
            ${combinationsOf(sql`candidates`)} as combinations,
            ${countAll ? combinationsOf(sql`${searchDocuments} where (select n from within) > ${limit} and ${where}`) : sql`null`} as all_combinations,
            (select json_object_agg(tier, n) from (
              select tier, count(*) as n from (select tier from candidates where (select n from within) > ${limit} limit ${tierSample}) as sampled group by tier
            ) as tiers) as tiers,
            (select json_agg(json_build_object(${hitObject}) order by page.position)
              from page join ${searchDocuments} as d on d.dataset_id = page.dataset_id) as page`,
          { inTableOrder, prepared: true },
        ),
      );
      const matches = Number(found?.n ?? 0);
      if (level && matches === 0) return null;
      if (matches <= limit) {
        const counted = sumCombinations(found?.combinations ?? null, 1);
        // A list without words (a topic's, an agency's, a format's) has the same counts for every
        // visitor, as the whole list's facets: kept as long, so that the next visitor's page is only
        // read (1–2 ms instead of grouping every one of its datasets again).
        if (!level) rememberEstimate(key, { generation: started, expires: Date.now() + ttlMs, exact: true, total: counted.total, facets: counted.facets, tiers: [] });
        return { ...counted, hits: hitsOf(found?.page ?? null), approximate: false, estimated: false };
      }
      // More than the limit: an estimate, never below it (that would contradict the exact path) nor above the index.
      const exact = countAll ? sumCombinations(found?.all_combinations ?? null, 1) : null;
      const blocks = Math.max(1, Number(found?.blocks ?? 1));
      const read = Math.min(blocks, Number(found?.last_block ?? blocks) + 1);
      const total = exact?.total ?? Math.min(Math.max(whole, limit + 1), Math.max(limit + 1, Math.round((matches * blocks) / read)));
      // The facets of the candidates (documents are stored in random order), unless the whole index was counted.
      const counted = exact ?? sumCombinations(found?.combinations ?? null, total / matches, total);
      // Each tier's share of the candidates, as a share of the whole index: what walking it would meet.
      const tierCounts = Object.entries(found?.tiers ?? {}).map(([index, count]) => ({ index: Number(index), count: Number(count) }));
      const ranked = Math.max(1, tierCounts.reduce((sum, tier) => sum + tier.count, 0));
      const tiers = tierCounts.map(({ index, count }) => ({ index, sampled: count, density: ((count / ranked) * total) / Math.max(1, whole) }));
      estimate = { generation: started, expires: Date.now() + estimateTtlMs, total, facets: counted.facets, tiers };
      rememberEstimate(key, estimate);
    }
    const { total, facets, tiers, exact } = estimate;
    const walked = walkedPage(query, level, filters, tiers, total / Math.max(1, whole), whole);
    // The page's rows in the same statement: one round trip less than fetching them by id afterwards.
    const [paged] = rowsOf<{ page: HitJson[] | null }>(
      await q(sql`
        with walked as (select dataset_id, row_number() over () as position from (${walked}) as walked)
        select json_agg(json_build_object(${hitObject}) order by walked.position) as page
        from walked join ${searchDocuments} as d on d.dataset_id = walked.dataset_id
        where walked.position > ${offset}`),
    );
    return { total, facets, hits: hitsOf(paged?.page ?? null), approximate: false, estimated: !exact };
  }

  function rememberEstimate(key: string, estimate: BroadEstimate) {
    broadEstimates.delete(key);
    broadEstimates.set(key, estimate);
    if (broadEstimates.size > broadEstimateEntries) broadEstimates.delete(broadEstimates.keys().next().value as string);
  }

  /**
   * Runs the statements of a query on words with sequential scans and parallel plans ruled out. The
   * planner prices `@@` as one cheap operator, so above ~20% of the index it would read the whole table
   * and unpack every document's tsvector (300 ms at 100k) instead of taking the GIN index's exact list
   * of matches; walkedPage relies on an Append running its branches in order, which a parallel plan
   * would not. Each statement travels with its settings in one message (see postgres-messages.ts): no
   * transaction, one round trip.
   */
  function throughIndexes<T>(work: (q: Run) => Promise<T>): Promise<T> {
    return work((statement, options) => {
      const settings = `${indexSettings(timeoutMs)}${options?.inTableOrder ? tableOrderSettings : ''}`;
      return options?.prepared ? messages.sendPrepared(settings, statement) : messages.send(settings, statement);
    });
  }

  /**
   * The share of documents a level's words are all in, from the statistics ANALYZE keeps of the whole
   * documents' vectors (pg_stats' most common elements: about the thousand commonest lexemes), or 0
   * when a word is not among them. A prefix counts as its commonest lexeme; several words as the product
   * of their shares (words of one query tend to go together, so this errs low).
   *
   * Why: the GIN index answers a word with a bitmap of every document that holds it, built whole before
   * the first row is read: 30–40 ms for a word in two thirds of 100,000 documents, to take its first
   * 1,001. Read in table order, those lie in the first 1,500 rows (2–10 ms). Only without filters: a
   * filter's own share is not known here, and a rare filter would make the scan read the whole table.
   */
  async function denseShare(level: Level): Promise<number> {
    const shares = await wordShares();
    if (shares.size === 0) return 0;
    return level.words.reduce((product, word, i) => {
      if (!(level.prefixLast && i === level.words.length - 1)) return product * (shares.get(word) ?? 0);
      let best = 0;
      for (const [lexeme, share] of shares) if (share > best && lexeme.startsWith(word)) best = share;
      return product * best;
    }, 1);
  }

  /** Kept a few minutes: they change only when ANALYZE runs (autovacuum's, after many writes). */
  let keptShares: { expires: number; read: Promise<Map<string, number>> } | null = null;
  function wordShares(): Promise<Map<string, number>> {
    if (keptShares && keptShares.expires > Date.now()) return keptShares.read;
    // Unreadable statistics are no statistics: every search then takes the index, as before.
    const read = readWordShares().catch(() => new Map<string, number>());
    keptShares = { expires: Date.now() + wordSharesTtlMs, read };
    return read;
  }

  async function readWordShares(): Promise<Map<string, number>> {
    const [row] = rowsOf<{ words: string[] | null; shares: number[] | null }>(
      await db.execute(sql`
        select most_common_elems::text::text[] as words, most_common_elem_freqs::float8[] as shares from pg_stats
        where schemaname = current_schema() and tablename = 'search_documents' and attname = 'search_vector'`),
    );
    const words = row?.words ?? [];
    return new Map(words.map((word, i) => [word, Number(row?.shares?.[i] ?? 0)]));
  }

  /**
   * The first rows of a sort among more matches than are ranked one by one, in the order of the page,
   * up to the page's end. By relevance: each tier the candidates hold is a query of its own on the
   * heading (title, tags, agency and topic), newest first, without the documents of the tiers before
   * it, then the rest of the matches; UNION ALL runs them in order and the LIMIT stops it once the page
   * is full, so a broad query reads its best tier's first rows, not every match. A tier is walked in
   * the newest-first index when it is common (a page's rows within a few hundred), and otherwise taken
   * from the GIN index and sorted (its order is written so that no index can serve it): the planner
   * cannot tell, as it does not know that the tiers before it took most of the word's documents, and a
   * walk through a tier that turns out empty reads the whole index (4 s at 100k). A tier absent from
   * the candidates joins the rest: a rare tier of a broad query is ranked by freshness among the rest.
   */
  function walkedPage(
    query: SearchQuery,
    level: Level | null,
    filters: SQL[],
    tiers: Array<{ index: number; sampled: number; density: number }>,
    density: number,
    whole: number,
  ): SQL {
    const end = query.page * query.pageSize;
    // Walking meets a page's rows within about end / share rows. The GIN path reads every document
    // holding the words in its heading (the index has no weights: each is rechecked), `headingShare`
    // of the index. Walk when that reads fewer rows, and only for a tier seen at least
    // `walkMinSampled` times among the candidates: a tier seen once may hold a handful of documents,
    // and then walking reads the whole index. By name, matches cluster (titles sharing a word sort
    // together): walk only when most titles match.
    const headingShare = tiers.filter((tier) => level && tier.index < level.tiers.length).reduce((sum, tier) => sum + tier.density, 0);
    const walkTier = (tier: { sampled: number; density: number }) =>
      tier.sampled >= walkMinSampled && end / Math.max(tier.density, 1e-9) < Math.max(headingShare, tier.density) * whole;
    // The rest (and a list without tiers) is matched on the whole document's vector, unpacked row by row
    // when walking: the old rule, which needs a dense set.
    const walkRest = (share: number) => (query.sort === 'name' ? share >= 0.5 : share >= 2 * Math.sqrt(end / Math.max(1, whole)));
    // A rare set is read whole behind an OFFSET 0 fence (no index can then serve the order) and sorted.
    const select = (walk: boolean, where: SQL | undefined, order: SQL[]) => {
      const from = walk
        ? sql`${searchDocuments}`
        : sql`(select dataset_id, title, published_at, downloads from ${searchDocuments} ${where ? sql`where ${where}` : sql``} offset 0) as ${searchDocuments}`;
      return sql`select ${searchDocuments.datasetId} as dataset_id from ${from} ${where && walk ? sql`where ${where}` : sql``} order by ${sql.join(order, sql`, `)} limit ${end}`;
    };
    if (!level || query.sort !== 'relevance') {
      return select(walkRest(density), and(...filters, level ? sql`${searchDocuments.searchVector} @@ ${level.match}::tsquery` : undefined), sortOrder(query.sort));
    }
    const heading = searchDocuments.headingVector;
    const present = tiers.filter((tier) => tier.index < level.tiers.length).sort((a, b) => a.index - b.index);
    const either = (indexes: number[]) => indexes.map((i) => `(${level.tiers[i]})`).join(' | ');
    const branches = present.map((tier, i) => {
      const before = present.slice(0, i).map((tier) => tier.index);
      const where = and(
        ...filters,
        sql`${heading} @@ ${level.tiers[tier.index]}::tsquery`,
        before.length > 0 ? sql`not ${heading} @@ ${either(before)}::tsquery` : undefined,
      );
      return sql`(${select(walkTier(tier), where, [newestFirst])})`;
    });
    const restShare = Math.max(0, density - headingShare);
    const rest = and(
      ...filters,
      sql`${searchDocuments.searchVector} @@ ${level.match}::tsquery`,
      present.length > 0 ? sql`not ${heading} @@ ${either(present.map((tier) => tier.index))}::tsquery` : undefined,
    );
    branches.push(sql`(${select(walkRest(restShare), rest, [newestFirst])})`);
    return sql`select * from (${sql.join(branches, sql` union all `)}) as tiers limit ${end}`;
  }

  /**
   * A query that matched nothing, with each syllable no document has replaced by the closest one that
   * exists (null when none is close): "truong hco" → "truong hoc". Candidates come from the vocabulary
   * (every syllable and pair of syllables of the headings) by trigram similarity, the pair with a
   * neighbouring syllable first ("truong0hco" ≈ "truong0hoc": its context makes a 3-letter typo
   * safe), then the syllable alone, which must have at least `typoMinLength` letters. A correction is
   * at most one edit away (two from `twoTyposLength` letters), as Meilisearch's typo rules.
   */
  async function correctTypos(q: Run, parsed: ParsedQuery): Promise<ParsedQuery | null> {
    const { terms } = parsed;
    const probes = terms.flatMap((term, i) => [
      { i, kind: 'word', text: term },
      ...(i > 0 ? [{ i, kind: 'after', text: `${terms[i - 1]}0${term}` }] : []),
      ...(i < terms.length - 1 ? [{ i, kind: 'before', text: `${term}0${terms[i + 1]}` }] : []),
    ]);
    const rows = rowsOf<{ i: number; kind: string; word: string }>(
      await q(sql`
        with p as materialized (select * from json_to_recordset(${JSON.stringify(probes)}::json) as p(i int, kind text, text text)),
        -- A syllable the vocabulary has is kept as typed: no trigram search for it nor for its pairs
        -- (a short known syllable such as "du" is similar to thousands of words: most of the lookup's time).
        known as materialized (select p.i from p join ${searchVocabulary} as v on v.word = p.text where p.kind = 'word')
        select p.i, 'word' as kind, p.text as word from p where p.kind = 'word' and p.i in (select i from known)
        union all
        select p.i, p.kind, v.word from p
        cross join lateral (
          select word from ${searchVocabulary} where word % p.text order by similarity(word, p.text) desc, word limit 5
        ) as v
        where p.i not in (select i from known)`),
    );
    const known = new Set(rows.filter((row) => row.kind === 'word' && row.word === terms[row.i]).map((row) => row.i));
    let changed = false;
    const corrected = terms.map((term, i) => {
      if (known.has(i)) return term;
      const close = (candidate: string | undefined, minLength: number) =>
        candidate !== undefined && candidate !== term && term.length >= minLength && editDistance(candidate, term) <= (term.length >= twoTyposLength ? 2 : 1);
      const own = rows.filter((row) => row.i === i);
      const fromPair = own
        .map((row) => {
          if (row.kind === 'after' && row.word.startsWith(`${terms[i - 1]}0`)) return row.word.slice(terms[i - 1].length + 1);
          if (row.kind === 'before' && row.word.endsWith(`0${terms[i + 1]}`)) return row.word.slice(0, -(terms[i + 1].length + 1));
          return undefined;
        })
        .find((candidate) => close(candidate, 2));
      const alone = own.filter((row) => row.kind === 'word').map((row) => row.word).find((candidate) => close(candidate, typoMinLength));
      const replacement = fromPair ?? alone;
      if (!replacement) return term;
      changed = true;
      return replacement;
    });
    return changed ? { ...parsed, terms: corrected } : null;
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
      await db.delete(searchVocabulary);
      generation++;
    },
    async search(query: SearchQuery): Promise<SearchResult> {
      const parsed = parseQuery(query.text);
      const filters = filterConditions(query);
      if (parsed.terms.length === 0 && filters.length === 0) return listWithoutWords(query);
      const limit = query.exactCountLimit ?? defaultExactCountLimit;
      // The size of the whole index sets a sample's share of ids.
      const whole = await countWhole();
      return throughIndexes(async (q) => {
        if (parsed.terms.length === 0) return (await matching(q, query, null, limit, whole)) as SearchResult;
        const found = await firstLevelWithMatches(q, query, parsed, limit, whole);
        if (found) return found;
        // Nothing matched: the syllables no document has are replaced by the closest ones that exist.
        const corrected = await correctTypos(q, parsed);
        const near = corrected ? await firstLevelWithMatches(q, query, corrected, limit, whole) : null;
        return near ? { ...near, approximate: true } : { total: 0, hits: [], facets: emptyFacets(), approximate: false, estimated: false };
      });
    },
    async ping() {
      await db.select({ one: sql`1` }).from(searchDocuments).limit(1);
    },
  };
}

function emptyFacets(): SearchResult['facets'] {
  return Object.fromEntries(facetNames.map((facet) => [facet, [] as Array<{ value: string; count: number }>])) as SearchResult['facets'];
}
