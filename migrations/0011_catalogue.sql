CREATE TABLE "catalogue_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"catalogue_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"agency_id" uuid NOT NULL,
	"topic_id" uuid NOT NULL,
	"first_publication_date" date,
	"frequency" text,
	"notes" text DEFAULT '' NOT NULL,
	"dataset_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalogue_entries_number_unique" UNIQUE("catalogue_id","number")
);
--> statement-breakpoint
CREATE TABLE "catalogues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"year" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"decision_number" text,
	"decision_date" date,
	"signer" text,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalogues_year_unique" UNIQUE("year"),
	CONSTRAINT "catalogues_status_check" CHECK ("catalogues"."status" in ('draft', 'submitted', 'approved', 'superseded')),
	CONSTRAINT "catalogues_year_check" CHECK ("catalogues"."year" between 2000 and 2200)
);
--> statement-breakpoint
CREATE TABLE "publishing_targets" (
	"year" integer PRIMARY KEY NOT NULL,
	"percent" integer NOT NULL,
	CONSTRAINT "publishing_targets_percent_check" CHECK ("publishing_targets"."percent" between 0 and 100),
	CONSTRAINT "publishing_targets_year_check" CHECK ("publishing_targets"."year" between 2000 and 2200)
);
--> statement-breakpoint
CREATE TABLE "deadline_reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entry_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"period_key" text NOT NULL,
	"kind" text NOT NULL,
	"due_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deadline_reminders_once" UNIQUE("entry_id","period_key","kind"),
	CONSTRAINT "deadline_reminders_kind_check" CHECK ("deadline_reminders"."kind" in ('before', 'passed'))
);
--> statement-breakpoint
ALTER TABLE "catalogue_entries" ADD CONSTRAINT "catalogue_entries_catalogue_id_catalogues_id_fk" FOREIGN KEY ("catalogue_id") REFERENCES "public"."catalogues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_entries" ADD CONSTRAINT "catalogue_entries_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_entries" ADD CONSTRAINT "catalogue_entries_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_entries" ADD CONSTRAINT "catalogue_entries_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadline_reminders" ADD CONSTRAINT "deadline_reminders_entry_id_catalogue_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."catalogue_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadline_reminders" ADD CONSTRAINT "deadline_reminders_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "catalogue_entries_agency_idx" ON "catalogue_entries" USING btree ("catalogue_id","agency_id");--> statement-breakpoint
CREATE INDEX "catalogue_entries_dataset_idx" ON "catalogue_entries" USING btree ("dataset_id");--> statement-breakpoint
CREATE INDEX "deadline_reminders_agency_idx" ON "deadline_reminders" USING btree ("agency_id","created_at");--> statement-breakpoint
-- The plans' targets (2023–2025); later years inherit 100% until DOIT records otherwise.
INSERT INTO "publishing_targets" ("year", "percent") VALUES (2023, 70), (2024, 90), (2025, 100);
