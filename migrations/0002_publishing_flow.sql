CREATE TABLE "revision_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"revision_id" uuid NOT NULL,
	"action" text NOT NULL,
	"actor_id" uuid,
	"comment" text DEFAULT '' NOT NULL,
	"pii_confirmed" boolean DEFAULT false NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "revision_reviews_action_check" CHECK ("revision_reviews"."action" in ('submit', 'approve', 'return', 'withdraw'))
);
--> statement-breakpoint
ALTER TABLE "dataset_revisions" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_revisions" ADD COLUMN "licence" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_revisions" ADD COLUMN "temporal_coverage" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_revisions" ADD COLUMN "spatial_coverage" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_revisions" ADD COLUMN "contact" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_revisions" ADD COLUMN "change_summary" jsonb;--> statement-breakpoint
ALTER TABLE "dataset_revisions" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "dataset_revisions" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "dataset_revisions" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "withdrawn_reason" text;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "lineage_id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "original_storage_key" text;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "original_encoding" text;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "inspection" jsonb;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "pii_flags" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "revision_reviews" ADD CONSTRAINT "revision_reviews_revision_id_dataset_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."dataset_revisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revision_reviews" ADD CONSTRAINT "revision_reviews_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "revision_reviews_revision_idx" ON "revision_reviews" USING btree ("revision_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_revisions_one_open_idx" ON "dataset_revisions" USING btree ("dataset_id") WHERE "dataset_revisions"."state" in ('draft', 'pending_review', 'returned');