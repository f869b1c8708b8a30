-- Facet filters and the check that a facet value in a URL exists become index probes instead of scans;
-- "by name" stops after one page like the other sorts.
CREATE INDEX "search_documents_formats_idx" ON "search_documents" USING gin ("formats");--> statement-breakpoint
CREATE INDEX "search_documents_frequency_idx" ON "search_documents" USING btree ("update_frequency");--> statement-breakpoint
CREATE INDEX "search_documents_tags_idx" ON "search_documents" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "search_documents_licence_idx" ON "search_documents" USING btree ("licence");--> statement-breakpoint
CREATE INDEX "search_documents_title_idx" ON "search_documents" USING btree ("title");