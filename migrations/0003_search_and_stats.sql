CREATE TABLE "search_documents" (
	"dataset_id" uuid PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"tags" text[] NOT NULL,
	"tag_text" text NOT NULL,
	"resource_names" text NOT NULL,
	"topic_slug" text NOT NULL,
	"agency_slug" text NOT NULL,
	"formats" text[] NOT NULL,
	"update_frequency" text NOT NULL,
	"licence" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"downloads" integer DEFAULT 0 NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple', portal_unaccent(lower(title))), 'A') || setweight(to_tsvector('simple', portal_unaccent(lower(tag_text))), 'B') || setweight(to_tsvector('simple', portal_unaccent(lower(description))), 'C') || setweight(to_tsvector('simple', portal_unaccent(lower(resource_names))), 'D')) STORED,
	"title_folded" text GENERATED ALWAYS AS (portal_unaccent(lower(title))) STORED
);
--> statement-breakpoint
CREATE TABLE "search_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dataset_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dataset_views" (
	"dataset_id" uuid PRIMARY KEY NOT NULL,
	"views" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resource_downloads" (
	"lineage_id" uuid PRIMARY KEY NOT NULL,
	"dataset_id" uuid NOT NULL,
	"downloads" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_documents_vector_idx" ON "search_documents" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "search_documents_title_trgm_idx" ON "search_documents" USING gin ("title_folded" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "search_documents_topic_idx" ON "search_documents" USING btree ("topic_slug");--> statement-breakpoint
CREATE INDEX "search_documents_agency_idx" ON "search_documents" USING btree ("agency_slug");--> statement-breakpoint
CREATE INDEX "search_outbox_pending_idx" ON "search_outbox" USING btree ("id") WHERE "search_outbox"."processed_at" is null;