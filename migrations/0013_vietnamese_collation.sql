-- Names and titles sort in Vietnamese order ("Sở Kế hoạch" before "Sở Khoa học", "Sở Nội vụ" before
-- "Sở Nông nghiệp", capitals or not) in every listing, with the indexes built in that order too.
-- ICU's "vi" collation where the server has ICU (PostgreSQL from distributions, PGlite); a server
-- built without ICU gets a plain "C" collation of the same name, so the schema stays the same.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'vi') THEN
    BEGIN
      CREATE COLLATION vi (provider = icu, locale = 'vi');
    EXCEPTION WHEN OTHERS THEN
      CREATE COLLATION vi FROM "C";
    END;
  END IF;
END $$;--> statement-breakpoint
ALTER TABLE "agencies" ALTER COLUMN "name" TYPE text COLLATE vi;--> statement-breakpoint
ALTER TABLE "topics" ALTER COLUMN "name_vi" TYPE text COLLATE vi;--> statement-breakpoint
ALTER TABLE "topics" ALTER COLUMN "name_en" TYPE text COLLATE vi;--> statement-breakpoint
ALTER TABLE "dataset_revisions" ALTER COLUMN "title" TYPE text COLLATE vi;--> statement-breakpoint
ALTER TABLE "resources" ALTER COLUMN "name" TYPE text COLLATE vi;--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "display_name" TYPE text COLLATE vi;--> statement-breakpoint
-- search_documents.title feeds generated columns and cannot change type: the name sort says COLLATE vi
-- itself and reads this index.
CREATE INDEX "search_documents_title_vi_idx" ON "search_documents" USING btree ("title" COLLATE vi);
