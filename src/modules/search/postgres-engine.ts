import { and, arrayOverlaps, inArray, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { searchDocuments } from './search.table.ts';
import { type FacetName, facetNames, fold, queryTerms, type SearchDocument, type SearchEngine, type SearchQuery, type SearchResult } from './search.types.ts';

/** Below this word similarity, a title is not offered as a near-miss. */
const typoThreshold = 0.4;

const facetColumns = {
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

/** PostgreSQL full-text search over folded text ("simple" configuration: no Vietnamese stemmer exists). */
export function createPostgresEngine(db: Database): SearchEngine {
  async function run(query: SearchQuery, match: SQL | null, rank: SQL | null): Promise<Omit<SearchResult, 'approximate'>> {
    const where = and(...filterConditions(query), ...(match ? [match] : []));
    const order =
      query.sort === 'name'
        ? [sql`${searchDocuments.title} asc`]
        : query.sort === 'updated' || (query.sort === 'relevance' && !rank)
          ? [sql`${searchDocuments.publishedAt} desc`]
          : query.sort === 'downloads'
            ? // The indexed copy the indexer writes: a per-row sum over resource_downloads took minutes at 100k.
              [sql`${searchDocuments.downloads} desc`, sql`${searchDocuments.publishedAt} desc`]
            : [sql`${rank} desc`, sql`${searchDocuments.publishedAt} desc`];
    const [rows, facetRows] = await Promise.all([
      db
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
          total: sql<number>`count(*) over ()`.mapWith(Number),
        })
        .from(searchDocuments)
        .where(where)
        .orderBy(...order)
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize),
      db.execute(sql`
        with matched as (select * from ${searchDocuments} ${where ? sql`where ${where}` : sql``})
        ${sql.join(
          facetNames.map((facet) => {
            const { column, array } = facetColumns[facet];
            const name = sql.identifier(column.name);
            return array
              ? sql`select ${facet} as facet, value, count(*)::int as count from matched, unnest(${name}) as value group by value`
              : sql`select ${facet} as facet, ${name} as value, count(*)::int as count from matched group by ${name}`;
          }),
          sql` union all `,
        )}`),
    ]);
    const facets = Object.fromEntries(facetNames.map((facet) => [facet, [] as Array<{ value: string; count: number }>])) as SearchResult['facets'];
    for (const row of (facetRows as unknown as { rows: Array<{ facet: FacetName; value: string; count: number }> }).rows) {
      facets[row.facet].push({ value: row.value, count: Number(row.count) });
    }
    for (const facet of facetNames) facets[facet].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    // A page past the end has no rows to carry the total: count separately then.
    const total = rows[0]?.total ?? (query.page > 1 ? await countMatches(where) : 0);
    return { total, hits: rows.map(({ total: _total, ...hit }) => hit), facets };
  }

  async function countMatches(where: SQL | undefined): Promise<number> {
    const [row] = await db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(searchDocuments).where(where);
    return row?.total ?? 0;
  }

  return {
    name: 'postgres',
    async setup() {},
    async upsert(documents: SearchDocument[]) {
      if (documents.length === 0) return;
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
    },
    async remove(datasetIds: string[]) {
      if (datasetIds.length > 0) await db.delete(searchDocuments).where(inArray(searchDocuments.datasetId, datasetIds));
    },
    async clear() {
      await db.delete(searchDocuments);
    },
    async search(query: SearchQuery): Promise<SearchResult> {
      const terms = queryTerms(query.text);
      if (terms.length === 0) return { ...(await run(query, null, null)), approximate: false };
      // Every word must match, as a prefix ("truong" finds "trường", "truong hoc" finds "trường học").
      const tsquery = sql`to_tsquery('simple', ${terms.map((term) => `${term}:*`).join(' & ')})`;
      const exact = await run(query, sql`${searchDocuments.searchVector} @@ ${tsquery}`, sql`ts_rank_cd(${searchDocuments.searchVector}, ${tsquery})`);
      if (exact.total > 0 || query.page > 1) return { ...exact, approximate: false };
      // Nothing matched exactly: offer titles that are close (a typo, a missing letter).
      const folded = fold(query.text).slice(0, 200);
      const similarity = sql`word_similarity(${folded}, ${searchDocuments.titleFolded})`;
      const near = await run(query, sql`${similarity} >= ${typoThreshold}`, similarity);
      return { ...near, approximate: near.total > 0 };
    },
    async ping() {
      await db.select({ one: sql`1` }).from(searchDocuments).limit(1);
    },
  };
}

