-- A loaded table is swapped in as soon as its rows and statistics are in; its filter indexes and its
-- full-text index are built afterwards on the live table and their states kept here. Tables loaded
-- before keep their stored _tsv column and its index ('column') and their indexes ('ready'); new rows
-- start at 'building'.
ALTER TABLE "datastore_tables" ADD COLUMN "full_text" text DEFAULT 'column' NOT NULL;--> statement-breakpoint
ALTER TABLE "datastore_tables" ALTER COLUMN "full_text" SET DEFAULT 'building';--> statement-breakpoint
ALTER TABLE "datastore_tables" ADD COLUMN "indexes" text DEFAULT 'ready' NOT NULL;--> statement-breakpoint
ALTER TABLE "datastore_tables" ALTER COLUMN "indexes" SET DEFAULT 'building';
