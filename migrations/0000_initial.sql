-- Extensions for Vietnamese search: unaccent folds diacritics ("Giáo dục" → "Giao duc"), pg_trgm finds near-misses.
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
-- unaccent() is STABLE; indexes and generated columns need an IMMUTABLE function, so wrap it with a fixed dictionary.
-- "đ"/"Đ" are letters of their own in Vietnamese, not accented "d", so unaccent leaves them: translate them too.
CREATE OR REPLACE FUNCTION portal_unaccent(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT translate(public.unaccent('public.unaccent'::regdictionary, value), 'đĐ', 'dD') $$;--> statement-breakpoint
CREATE TABLE "agencies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"email" text,
	"phone" text,
	"website" text,
	"address" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agencies_slug_unique" UNIQUE("slug"),
	CONSTRAINT "agencies_kind_check" CHECK ("agencies"."kind" in ('department', 'district_committee', 'central_agency', 'socio_political'))
);
--> statement-breakpoint
CREATE TABLE "dataset_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"topic_id" uuid NOT NULL,
	"update_frequency" text DEFAULT 'yearly' NOT NULL,
	"first_publication_date" date,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "dataset_revisions_dataset_number_unique" UNIQUE("dataset_id","number"),
	CONSTRAINT "dataset_revisions_state_check" CHECK ("dataset_revisions"."state" in ('draft', 'pending_review', 'returned', 'published', 'superseded', 'withdrawn')),
	CONSTRAINT "dataset_revisions_frequency_check" CHECK ("dataset_revisions"."update_frequency" in ('weekly', 'monthly', 'quarterly', 'half_yearly', 'yearly', 'irregular'))
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"agency_id" uuid NOT NULL,
	"published_revision_id" uuid,
	"catalogue_number" integer,
	"first_published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "datasets_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "resources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"revision_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"format" text NOT NULL,
	"media_type" text DEFAULT 'application/octet-stream' NOT NULL,
	"storage_key" text,
	"url" text,
	"file_name" text,
	"size_bytes" bigint,
	"sha256" text,
	"row_count" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "topics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"description_vi" text DEFAULT '' NOT NULL,
	"description_en" text DEFAULT '' NOT NULL,
	"display_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "topics_slug_unique" UNIQUE("slug"),
	CONSTRAINT "topics_name_vi_unique" UNIQUE("name_vi")
);
--> statement-breakpoint
ALTER TABLE "dataset_revisions" ADD CONSTRAINT "dataset_revisions_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_revisions" ADD CONSTRAINT "dataset_revisions_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_published_revision_id_dataset_revisions_id_fk" FOREIGN KEY ("published_revision_id") REFERENCES "public"."dataset_revisions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_revision_id_dataset_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."dataset_revisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dataset_revisions_topic_idx" ON "dataset_revisions" USING btree ("topic_id");--> statement-breakpoint
CREATE INDEX "resources_revision_idx" ON "resources" USING btree ("revision_id");