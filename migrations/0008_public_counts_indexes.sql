DROP INDEX "dataset_revisions_topic_idx";--> statement-breakpoint
CREATE INDEX "dataset_revisions_topic_title_idx" ON "dataset_revisions" USING btree ("topic_id","title");--> statement-breakpoint
CREATE INDEX "datasets_updated_at_idx" ON "datasets" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "resource_downloads_updated_at_idx" ON "resource_downloads" USING btree ("updated_at");