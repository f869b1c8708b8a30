import { sql } from 'drizzle-orm';
import { bigserial, customType, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The Postgres search index: one row per published dataset, rebuilt from the database by the outbox
 * worker. Text is folded (no diacritics, đ → d) before it is indexed, so "giao duc" finds "Giáo dục".
 */
export const searchDocuments = pgTable(
  'search_documents',
  {
    datasetId: uuid('dataset_id').primaryKey(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    tags: text('tags').array().notNull(),
    /** The tags as one string: array_to_string() is not immutable, so a generated column cannot use it. */
    tagText: text('tag_text').notNull(),
    resourceNames: text('resource_names').notNull(),
    topicSlug: text('topic_slug').notNull(),
    agencySlug: text('agency_slug').notNull(),
    topicName: text('topic_name').notNull().default(''),
    agencyName: text('agency_name').notNull().default(''),
    formats: text('formats').array().notNull(),
    updateFrequency: text('update_frequency').notNull(),
    licence: text('licence').notNull(),
    /**
     * The facet values (topic, agency, formats, frequency, tags, licence: facetNames' order) as one JSON
     * array. A search counts its matches' facets by grouping on this one text: grouping on the six
     * columns, two of them arrays, and sending each group as JSON took half of a search's statement.
     */
    facetValues: text('facet_values').notNull().default('[]'),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    downloads: integer('downloads').notNull().default(0),
    /**
     * Title > tags > agency and topic > description and file names (weights A–D), folded, in the "simple"
     * configuration, each field's syllables and its pairs of adjacent syllables ("dan0so"): a word of two
     * syllables is then one index entry. Written by the engine's upsert from text folded and paired in
     * TypeScript (indexText in search.types.ts), not generated: a per-row SQL function splitting and
     * pairing syllables made reindexing 100k datasets take 14 minutes.
     */
    searchVector: tsvector('search_vector').notNull(),
    /**
     * Title, tags, agency and topic only (the same weights): small enough to stay in the row, so ranking
     * a match by the field it is in does not unpack the whole document's vector.
     */
    headingVector: tsvector('heading_vector').notNull(),
    /** For near-misses ("truong hco"): trigram similarity on the folded title. */
    titleFolded: text('title_folded').generatedAlwaysAs(sql`portal_unaccent(lower(title))`),
  },
  (table) => [
    index('search_documents_vector_idx').using('gin', table.searchVector),
    // A relevance tier (the phrase in the title, in the tags, …) fetched by itself when it is small.
    index('search_documents_heading_idx').using('gin', table.headingVector),
    index('search_documents_title_trgm_idx').using('gin', sql`${table.titleFolded} gin_trgm_ops`),
    // Facet filters, and the check that a value in a URL exists (an index probe, not a scan). A topic's
    // or an agency's matches newest first, as a search filtered by one walks them: walking the whole
    // newest-first index for them unpacked every other agency's documents too (11 ms at 100k, 1 ms now).
    index('search_documents_topic_idx').on(table.topicSlug, table.publishedAt.desc()),
    index('search_documents_agency_idx').on(table.agencySlug, table.publishedAt.desc()),
    index('search_documents_formats_idx').using('gin', table.formats),
    index('search_documents_frequency_idx').on(table.updateFrequency),
    index('search_documents_tags_idx').using('gin', table.tags),
    index('search_documents_licence_idx').on(table.licence),
    // "By name" stops after one page too.
    index('search_documents_title_idx').on(table.title),
    // "Newest" and "most downloaded" stop after one page instead of sorting every document.
    index('search_documents_published_idx').on(table.publishedAt.desc()),
    index('search_documents_downloads_idx').on(table.downloads.desc(), table.publishedAt.desc()),
  ],
);

/**
 * Every syllable and pair of syllables ("truong0hoc") the headings of indexed documents have held: a
 * query that matches nothing has its unknown syllables replaced by the closest known ones (trigram
 * similarity on a few thousand short words, where comparing the query with every title took 0.5 s at
 * 100k). Written by the engine's upsert; words of removed documents stay (a correction to them finds
 * nothing, which is what the query found anyway) until the next full reindex empties it.
 */
export const searchVocabulary = pgTable(
  'search_vocabulary',
  { word: text('word').primaryKey() },
  (table) => [index('search_vocabulary_word_trgm_idx').using('gin', sql`${table.word} gin_trgm_ops`)],
);

/**
 * Transactional outbox: a row is written in the same transaction as a publication or withdrawal, so
 * a crash or a search outage between the commit and the indexing never loses the change.
 */
export const searchOutbox = pgTable(
  'search_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    datasetId: uuid('dataset_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (table) => [index('search_outbox_pending_idx').on(table.id).where(sql`${table.processedAt} is null`)],
);
