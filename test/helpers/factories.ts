import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../src/db/client.ts';
import { insertUser } from '../../src/modules/accounts/accounts.repository.ts';
import type { NewUser, User } from '../../src/modules/accounts/accounts.table.ts';
import { hashPassword } from '../../src/modules/accounts/passwords.ts';
import { insertAgencies } from '../../src/modules/agencies/agencies.repository.ts';
import type { Agency, NewAgency } from '../../src/modules/agencies/agencies.table.ts';
import { insertDataset, insertRevision, setPublishedRevision } from '../../src/modules/datasets/datasets.repository.ts';
import type { Dataset, DatasetRevision, NewDatasetRevision } from '../../src/modules/datasets/datasets.table.ts';
import { insertResources } from '../../src/modules/resources/resources.repository.ts';
import type { NewResource, Resource } from '../../src/modules/resources/resources.table.ts';
import { enqueueSearchUpdate } from '../../src/modules/search/search.outbox.ts';
import { insertTopics } from '../../src/modules/topics/topics.repository.ts';
import type { NewTopic, Topic } from '../../src/modules/topics/topics.table.ts';
import type { FileStorage } from '../../src/storage/file-storage.ts';

const unique = () => randomBytes(4).toString('hex');

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
