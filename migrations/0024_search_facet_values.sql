-- A search counts its matches' facets by grouping on one text, the facet values as a JSON array, instead
-- of six columns of which two are arrays (half of a search's statement at 650 matches on PGlite). The
-- indexer writes it; documents indexed before are filled here, in the same order as facetNames
-- (topic, agency, formats, frequency, tags, licence).
ALTER TABLE "search_documents" ADD COLUMN "facet_values" text DEFAULT '[]' NOT NULL;--> statement-breakpoint
UPDATE "search_documents" SET "facet_values" = json_build_array("topic_slug", "agency_slug", "formats", "update_frequency", "tags", "licence")::text;
