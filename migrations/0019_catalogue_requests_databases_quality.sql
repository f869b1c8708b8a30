CREATE TABLE "dataset_daily_stats" (
	"dataset_id" uuid NOT NULL,
	"day" date NOT NULL,
	"views" bigint DEFAULT 0 NOT NULL,
	"downloads" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "dataset_daily_stats_dataset_id_day_pk" PRIMARY KEY("dataset_id","day")
);
--> statement-breakpoint
CREATE TABLE "catalogue_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"requested_by" uuid,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"reason" text NOT NULL,
	"frequency" text NOT NULL,
	"topic_id" uuid NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"decline_reason" text,
	"catalogue_id" uuid,
	"entry_id" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalogue_requests_state_check" CHECK ("catalogue_requests"."state" in ('pending', 'approved', 'declined'))
);
--> statement-breakpoint
CREATE TABLE "database_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"database_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"name" text NOT NULL,
	"sharing_class" text NOT NULL,
	"dataset_id" uuid,
	CONSTRAINT "database_categories_class_check" CHECK ("database_categories"."sharing_class" in ('open', 'shared', 'on_request')),
	CONSTRAINT "database_categories_open_link_check" CHECK ("database_categories"."dataset_id" is null or "database_categories"."sharing_class" = 'open')
);
--> statement-breakpoint
CREATE TABLE "province_databases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"scope" text DEFAULT '' NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"collection" text DEFAULT '' NOT NULL,
	"owner_agency_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resource_link_checks" (
	"lineage_id" uuid PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"ok" boolean NOT NULL,
	"status" integer,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalogue_requests" ADD CONSTRAINT "catalogue_requests_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_requests" ADD CONSTRAINT "catalogue_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_requests" ADD CONSTRAINT "catalogue_requests_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_requests" ADD CONSTRAINT "catalogue_requests_catalogue_id_catalogues_id_fk" FOREIGN KEY ("catalogue_id") REFERENCES "public"."catalogues"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_requests" ADD CONSTRAINT "catalogue_requests_entry_id_catalogue_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."catalogue_entries"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_requests" ADD CONSTRAINT "catalogue_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "database_categories" ADD CONSTRAINT "database_categories_database_id_province_databases_id_fk" FOREIGN KEY ("database_id") REFERENCES "public"."province_databases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "database_categories" ADD CONSTRAINT "database_categories_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "province_databases" ADD CONSTRAINT "province_databases_owner_agency_id_agencies_id_fk" FOREIGN KEY ("owner_agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dataset_daily_stats_day_idx" ON "dataset_daily_stats" USING btree ("day");--> statement-breakpoint
CREATE INDEX "catalogue_requests_agency_idx" ON "catalogue_requests" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE INDEX "catalogue_requests_state_idx" ON "catalogue_requests" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "database_categories_database_idx" ON "database_categories" USING btree ("database_id","position");--> statement-breakpoint
CREATE INDEX "province_databases_owner_idx" ON "province_databases" USING btree ("owner_agency_id");