CREATE INDEX "dataset_revisions_published_at_idx" ON "dataset_revisions" USING btree ("published_at" DESC NULLS LAST,"title");--> statement-breakpoint
CREATE INDEX "datasets_agency_idx" ON "datasets" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "datasets_published_revision_idx" ON "datasets" USING btree ("published_revision_id");