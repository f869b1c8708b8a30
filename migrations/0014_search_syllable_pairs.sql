-- Search matches whole syllables and finds two-syllable words ("dân số") through the index: each field is
-- indexed as its folded syllables plus its pairs of adjacent syllables ("dan0so"), with the field's weight
-- (title A, tags B, agency and topic names C, description and file names D). Pairs never cross punctuation,
-- so "người dân, số liệu" does not contain the word "dân số".
CREATE OR REPLACE FUNCTION portal_syllable_pairs(folded text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
  SELECT coalesce(string_agg(w || '0' || n, ' '), '') FROM (
    SELECT w, lead(w) OVER (ORDER BY i) AS n
    FROM unnest(regexp_split_to_array(regexp_replace(folded, '[,.;:!?()\[\]"/|]+', ' | ', 'g'), '[^a-z0-9|]+')) WITH ORDINALITY AS x(w, i)
    WHERE w <> ''
  ) p WHERE n IS NOT NULL AND w <> '|' AND n <> '|'
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION portal_field_vector(value text, weight "char") RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
  -- Schema-qualified: pg_restore runs with an empty search_path, and this body is inlined there.
  SELECT setweight(to_tsvector('simple'::regconfig, f) || to_tsvector('simple'::regconfig, public.portal_syllable_pairs(f)), weight)
  FROM (SELECT public.portal_unaccent(lower(value)) AS f) AS folded
$$;--> statement-breakpoint
ALTER TABLE "search_documents" ADD COLUMN "topic_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "search_documents" ADD COLUMN "agency_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "search_documents" drop column "search_vector";--> statement-breakpoint
ALTER TABLE "search_documents" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (portal_field_vector(title, 'A') || portal_field_vector(tag_text, 'B') || portal_field_vector(agency_name || ', ' || topic_name, 'C') || portal_field_vector(description || ', ' || resource_names, 'D')) STORED;--> statement-breakpoint
ALTER TABLE "search_documents" ADD COLUMN "heading_vector" "tsvector" GENERATED ALWAYS AS (portal_field_vector(title, 'A') || portal_field_vector(tag_text, 'B') || portal_field_vector(agency_name || ', ' || topic_name, 'C')) STORED;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "search_documents_vector_idx" ON "search_documents" USING gin ("search_vector");--> statement-breakpoint
-- The indexed documents gain agency and topic names: the indexer rebuilds each one from the database.
INSERT INTO "search_outbox" ("dataset_id") SELECT "dataset_id" FROM "search_documents";
