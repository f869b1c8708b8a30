-- A loaded table is swapped in as soon as its rows and filter indexes are ready; its full-text index
-- is built afterwards and its state kept here. Tables loaded before keep their stored _tsv column
-- and its index ('column'); new rows start at 'building'.
ALTER TABLE "datastore_tables" ADD COLUMN "full_text" text DEFAULT 'column' NOT NULL;--> statement-breakpoint
ALTER TABLE "datastore_tables" ALTER COLUMN "full_text" SET DEFAULT 'building';
