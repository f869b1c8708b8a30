CREATE TABLE "job_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"payload" jsonb NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datastore_tables" (
	"lineage_id" uuid PRIMARY KEY NOT NULL,
	"table_name" text NOT NULL,
	"resource_id" uuid,
	"source_sha256" text,
	"fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"row_count" integer,
	"loaded_at" timestamp with time zone,
	"load_resource_id" uuid,
	"load_state" text DEFAULT 'queued' NOT NULL,
	"load_rows" integer DEFAULT 0 NOT NULL,
	"load_total" integer,
	"load_attempts" integer DEFAULT 0 NOT NULL,
	"load_error" jsonb,
	"load_warnings" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Loaded tables live apart from the portal's own, so that no uploaded header can meet a portal table's name.
CREATE SCHEMA IF NOT EXISTS datastore;
