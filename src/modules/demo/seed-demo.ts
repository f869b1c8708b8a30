import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { atVietnamTime } from '../../lib/calendar.ts';
import { slugify } from '../../lib/slug.ts';
import type { FileStorage, StoredFile } from '../../storage/file-storage.ts';
import { insertAgencies } from '../agencies/agencies.repository.ts';
import Papa from 'papaparse';
import { type CatalogueEntry, catalogueHeaders, parseCatalogueCsv } from '../catalogue/catalogue-csv.ts';
import { linkEntriesByCatalogueNumber } from '../catalogue/catalogue.repository.ts';
import { importCatalogueForYear } from '../catalogue/catalogue.service.ts';
import { countDatasets } from '../datasets/datasets.repository.ts';
import { datasetRevisions, datasets } from '../datasets/datasets.table.ts';
import { insertResources } from '../resources/resources.repository.ts';
import { insertTopics } from '../topics/topics.repository.ts';
import { enqueueSearchUpdate } from '../search/search.outbox.ts';
import { insertDemoAccounts } from './demo-accounts.ts';
import { publicationHistory } from './demo-history.ts';
import { demoAgencies, demoTopics, fillDemoEntry } from './demo-catalogue.ts';
import { type DemoTable, generateDemoTable } from './demo-tables.ts';

/** The Bình Định catalogue (Appendix I of the 2023–2025 plan), kept in the repository so the demo needs nothing else. */
const catalogueFile = new URL('./binh-dinh-catalogue.csv', import.meta.url);

export interface SeedSummary {
  topics: number;
  agencies: number;
  datasets: number;
  files: number;
}

interface SeedDependencies {
  database: DatabaseHandle;
  storage: FileStorage;
  log?: { info(details: object, message: string): void };
}

interface PreparedEntry {
  entry: CatalogueEntry;
  slug: string;
  table: DemoTable;
  stored: StoredFile;
  filled: ReturnType<typeof fillDemoEntry>;
}

export class DatabaseNotEmptyError extends Error {
  constructor() {
    super('The database already holds datasets; seed-demo only fills an empty database.');
  }
}

/**
 * The catalogue as DOIT approved it: the plan's entries with the columns the source leaves empty
 * (description, first date, frequency, notes) filled in, in the Appendix II layout.
 */
function approvedCatalogueCsv(prepared: PreparedEntry[]): string {
  const frequencyWords = { weekly: 'Hằng tuần', monthly: 'Hằng tháng', quarterly: 'Hằng quý', half_yearly: '6 tháng/lần', yearly: 'Hằng năm', irregular: 'Khi có thay đổi' };
  const rows = prepared.map(({ entry, filled }) => {
    const [year, month, day] = (entry.firstPublicationDate ?? filled.firstPublicationDate).split('-');
    return [
      String(entry.number),
      entry.title,
      entry.description || filled.description,
      entry.agencyName,
      `${day}/${month}/${year}`,
      frequencyWords[entry.frequency ?? filled.updateFrequency],
      entry.notes || filled.notes,
      entry.topicName,
    ];
  });
  return Papa.unparse([catalogueHeaders, ...rows]);
}

/** SEED_DEMO=auto fills an empty embedded database; always fills any empty database; never does nothing. */
export async function seedDemoIfEmpty(deps: SeedDependencies & { config: Config }): Promise<SeedSummary | null> {
  const { config, database } = deps;
  if (config.SEED_DEMO === 'never') return null;
  if (config.SEED_DEMO === 'auto' && database.driver !== 'pglite') return null;
  if ((await countDatasets(database.db)) > 0) return null;
  return seedDemo(deps);
}

/**
 * Loads the 14 topic groups, the agencies and the 167 catalogue datasets, each published with a
 * generated CSV. Files are written first (idempotent keys), then every row in one transaction.
 */
export async function seedDemo({ database, storage, log }: SeedDependencies): Promise<SeedSummary> {
  const { db } = database;
  if ((await countDatasets(db)) > 0) throw new DatabaseNotEmptyError();
  const { entries, errors } = parseCatalogueCsv(readFileSync(catalogueFile, 'utf8'));
  if (errors.length > 0) throw new Error(`demo catalogue has errors: ${JSON.stringify(errors.slice(0, 3))}`);
  // The first start takes tens of seconds: say what is happening rather than stay silent.
  log?.info({ datasets: entries.length }, 'first start: loading the demo catalogue (about 30 s)');

  const prepared: PreparedEntry[] = [];
  const usedSlugs = new Set<string>();
  for (const entry of entries) {
    let slug = slugify(entry.title);
    if (usedSlugs.has(slug)) slug = `${slug}-${entry.number}`;
    usedSlugs.add(slug);
    const table = generateDemoTable({ number: entry.number, title: entry.title, topicName: entry.topicName, agencyName: entry.agencyName });
    const stored = await storage.put(`demo/${slug}/${table.fileName}`, table.csv);
    prepared.push({ entry, slug, table, stored, filled: fillDemoEntry(entry) });
    if (prepared.length % 50 === 0) log?.info({ files: prepared.length, of: entries.length }, 'demo files written');
  }
  log?.info({ datasets: prepared.length }, 'writing the demo catalogue to the database');

  await db.transaction(async (tx) => {
    const topics = await insertTopics(tx, demoTopics.map((topic) => ({ ...topic })));
    const agencies = await insertAgencies(tx, demoAgencies.map((agency) => ({ ...agency })));
    const topicId = new Map(topics.map((topic) => [topic.nameVi, topic.id]));
    const agencyId = new Map(agencies.map((agency) => [agency.name, agency.id]));
    const lookup = (map: Map<string, string>, name: string) => {
      const id = map.get(name);
      if (!id) throw new Error(`demo metadata misses "${name}"`);
      return id;
    };

    const datasetRows = await tx
      .insert(datasets)
      .values(prepared.map((item) => ({ slug: item.slug, agencyId: lookup(agencyId, item.entry.agencyName), catalogueNumber: item.entry.number })))
      .returning({ id: datasets.id, slug: datasets.slug });
    const datasetId = new Map(datasetRows.map((row) => [row.slug, row.id]));

    // Each dataset has its publication history: agencies that keep their deadlines and agencies that do not.
    const now = new Date();
    const revisionValues = prepared.flatMap((item) => {
      // Spread first publications over the months after the first publication date.
      const firstPublishedAt = atVietnamTime(item.filled.firstPublicationDate, 9);
      firstPublishedAt.setUTCDate(firstPublishedAt.getUTCDate() + (item.entry.number % 90));
      const updateFrequency = item.entry.frequency ?? item.filled.updateFrequency;
      const history = publicationHistory({ number: item.entry.number, agencyName: item.entry.agencyName, frequency: updateFrequency, firstPublishedAt, now });
      return history.map((publishedAt, index) => ({
        datasetId: datasetId.get(item.slug)!,
        number: index + 1,
        state: index === history.length - 1 ? ('published' as const) : ('superseded' as const),
        title: item.entry.title,
        description: item.entry.description || item.filled.description,
        topicId: lookup(topicId, item.entry.topicName),
        updateFrequency,
        firstPublicationDate: item.entry.firstPublicationDate ?? item.filled.firstPublicationDate,
        notes: item.entry.notes || item.filled.notes,
        createdAt: publishedAt,
        updatedAt: publishedAt,
        submittedAt: publishedAt,
        publishedAt,
      }));
    });
    // In chunks: a statement has at most 65,535 parameters.
    const revisionRows: Array<{ id: string; datasetId: string; state: string }> = [];
    for (let start = 0; start < revisionValues.length; start += 1000) {
      revisionRows.push(
        ...(await tx
          .insert(datasetRevisions)
          .values(revisionValues.slice(start, start + 1000))
          .returning({ id: datasetRevisions.id, datasetId: datasetRevisions.datasetId, state: datasetRevisions.state })),
      );
    }
    const revisionOf = new Map(revisionRows.filter((row) => row.state === 'published').map((row) => [row.datasetId, row.id]));

    await insertResources(
      tx,
      prepared.map((item) => ({
        revisionId: revisionOf.get(datasetId.get(item.slug)!)!,
        name: item.entry.title,
        description: '',
        format: 'CSV',
        mediaType: 'text/csv',
        storageKey: item.stored.key,
        fileName: item.table.fileName,
        sizeBytes: item.stored.sizeBytes,
        sha256: item.stored.sha256,
        rowCount: item.table.rowCount,
      })),
    );
    // Point each dataset at its published revision, first published when its first revision was, in one statement.
    await insertDemoAccounts(tx, agencyId);
    // The catalogue goes through the import DOIT uses, as the approved catalogue of this year.
    const year = new Date().getFullYear();
    const { catalogue } = await importCatalogueForYear(tx, {
      year,
      fileName: 'danh-muc-du-lieu-mo.csv',
      bytes: Buffer.from(approvedCatalogueCsv(prepared), 'utf8'),
      approve: { decisionNumber: '1542/QĐ-UBND', decisionDate: `${year}-01-15`, signer: 'Phó Chủ tịch UBND tỉnh' },
    });
    await linkEntriesByCatalogueNumber(tx, catalogue.id);
    await enqueueSearchUpdate(tx, datasetRows.map((row) => row.id));
    await tx.execute(sql`
      update datasets set published_revision_id = r.id, updated_at = r.published_at,
        first_published_at = (select min(published_at) from dataset_revisions f where f.dataset_id = datasets.id)
      from dataset_revisions r where r.dataset_id = datasets.id and r.state = 'published'`);
  });

  return { topics: demoTopics.length, agencies: demoAgencies.length, datasets: prepared.length, files: prepared.length };
}
