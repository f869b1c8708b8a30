import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../src/db/client.ts';
import { insertUser } from '../../src/modules/accounts/accounts.repository.ts';
import type { NewUser, User } from '../../src/modules/accounts/accounts.table.ts';
import { hashPassword } from '../../src/modules/accounts/passwords.ts';
import { insertAgencies } from '../../src/modules/agencies/agencies.repository.ts';
import type { Agency, NewAgency } from '../../src/modules/agencies/agencies.table.ts';
import { eq, sql } from 'drizzle-orm';
import { type Dataset, type DatasetRevision, datasetRevisions, datasets, type NewDatasetRevision } from '../../src/modules/datasets/datasets.table.ts';
import { insertResources } from '../../src/modules/resources/resources.repository.ts';
import type { NewResource, Resource } from '../../src/modules/resources/resources.table.ts';
import { enqueueSearchUpdate } from '../../src/modules/search/search.outbox.ts';
import { insertTopics } from '../../src/modules/topics/topics.repository.ts';
import type { NewTopic, Topic } from '../../src/modules/topics/topics.table.ts';
import type { FileStorage } from '../../src/storage/file-storage.ts';

const unique = () => randomBytes(4).toString('hex');

// Rows written straight into the tables, for tests that need a state the flow would take many steps
// to reach. They publish without approval, so they live here and never in src/ (issue 11: dead code).
export async function insertDataset(db: Queryable, values: typeof datasets.$inferInsert): Promise<Dataset> {
  const [row] = await db.insert(datasets).values(values).returning();
  return row;
}

export async function insertRevision(db: Queryable, values: NewDatasetRevision): Promise<DatasetRevision> {
  const [row] = await db.insert(datasetRevisions).values(values).returning();
  return row;
}

/** Makes a revision the public one; the first time also stamps the dataset's first publication. */
export async function setPublishedRevision(db: Queryable, datasetId: string, revisionId: string, at: Date): Promise<void> {
  await db
    .update(datasets)
    .set({ publishedRevisionId: revisionId, firstPublishedAt: sql`coalesce(${datasets.firstPublishedAt}, ${at})`, updatedAt: at })
    .where(eq(datasets.id, datasetId));
}

export async function buildAgency(db: Queryable, overrides: Partial<NewAgency> = {}): Promise<Agency> {
  const id = unique();
  const [agency] = await insertAgencies(db, [
    { slug: `so-thu-nghiem-${id}`, name: `Sở Thử nghiệm ${id}`, kind: 'department', email: `so-${id}@example.gov.vn`, ...overrides },
  ]);
  return agency;
}

export async function buildTopic(db: Queryable, overrides: Partial<NewTopic> = {}): Promise<Topic> {
  const id = unique();
  const [topic] = await insertTopics(db, [
    { slug: `chu-de-${id}`, nameVi: `Chủ đề ${id}`, nameEn: `Topic ${id}`, displayOrder: 0, ...overrides },
  ]);
  return topic;
}

export interface BuiltDataset {
  dataset: Dataset;
  revision: DatasetRevision;
  agency: Agency;
  topic: Topic;
  resources: Resource[];
}

export interface DatasetOverrides {
  agency?: Agency;
  topic?: Topic;
  slug?: string;
  published?: boolean;
  revision?: Partial<NewDatasetRevision>;
  /** Files to store and attach; a string or Buffer is the file's content. */
  files?: Array<{ name?: string; fileName?: string; content: string | Buffer; format?: string; mediaType?: string }>;
  links?: Array<{ name: string; url: string; format?: string }>;
}

/** A dataset with one revision (published unless told otherwise) and optional files in storage. */
export async function buildDataset(db: Queryable, storage: FileStorage, overrides: DatasetOverrides = {}): Promise<BuiltDataset> {
  const agency = overrides.agency ?? (await buildAgency(db));
  const topic = overrides.topic ?? (await buildTopic(db));
  const id = unique();
  const published = overrides.published ?? true;
  const now = new Date();
  const dataset = await insertDataset(db, { slug: overrides.slug ?? `tap-du-lieu-${id}`, agencyId: agency.id });
  const revision = await insertRevision(db, {
    datasetId: dataset.id,
    number: 1,
    state: published ? 'published' : 'draft',
    title: `Tập dữ liệu ${id}`,
    description: 'Mô tả tập dữ liệu thử nghiệm.',
    topicId: topic.id,
    publishedAt: published ? now : null,
    ...overrides.revision,
  });
  const rows: NewResource[] = [];
  for (const [index, file] of (overrides.files ?? []).entries()) {
    const fileName = file.fileName ?? `du-lieu-${index + 1}.csv`;
    const stored = await storage.put(`resources/${dataset.id}/${unique()}/${fileName}`, file.content);
    rows.push({
      revisionId: revision.id,
      position: index,
      name: file.name ?? fileName,
      format: file.format ?? 'CSV',
      mediaType: file.mediaType ?? 'text/csv',
      storageKey: stored.key,
      fileName,
      sizeBytes: stored.sizeBytes,
      sha256: stored.sha256,
    });
  }
  for (const link of overrides.links ?? []) {
    rows.push({ revisionId: revision.id, position: rows.length, name: link.name, format: link.format ?? 'API', url: link.url });
  }
  const resources = await insertResources(db, rows);
  if (published) {
    await setPublishedRevision(db, dataset.id, revision.id, now);
    await enqueueSearchUpdate(db, [dataset.id]);
  }
  return { dataset: { ...dataset, publishedRevisionId: published ? revision.id : null }, revision, agency, topic, resources };
}

export const testPassword = 'Mật-khẩu-thử-nghiệm-đủ-dài';
let testPasswordHash: Promise<string> | undefined;

/** An account (officer of a new agency unless told otherwise) whose password is `testPassword`. */
export async function buildUser(
  db: Queryable,
  overrides: Partial<NewUser> & { agency?: Agency | null } = {},
): Promise<User & { agency: Agency | null }> {
  const { agency: givenAgency, ...values } = overrides;
  const role = values.role ?? 'officer';
  const agency = role === 'admin' ? null : (givenAgency ?? (await buildAgency(db)));
  testPasswordHash ??= hashPassword(testPassword);
  const user = await insertUser(db, {
    email: `nguoi-dung-${unique()}@example.gov.vn`,
    displayName: 'Người dùng thử nghiệm',
    role,
    agencyId: agency?.id ?? null,
    passwordHash: await testPasswordHash,
    mustChangePassword: false,
    ...values,
  });
  return { ...user, agency };
}
