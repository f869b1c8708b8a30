import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { asc, count, eq, ne } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Queryable } from '../../../src/db/client.ts';
import { auditLog } from '../../../src/modules/audit/audit.table.ts';
import { datasetRevisions, datasets } from '../../../src/modules/datasets/datasets.table.ts';
import { resources } from '../../../src/modules/resources/resources.table.ts';
import { revisionReviews } from '../../../src/modules/reviews/reviews.table.ts';
import type { Topic } from '../../../src/modules/topics/topics.table.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { buildAgency, buildTopic, buildUser, testPassword } from '../../helpers/factories.ts';

/**
 * Shared steps of the publishing tests: everything goes through HTTP as a person's browser would
 * (forms with their CSRF token, multipart uploads with the token in the action URL), and the
 * database is only read, to check what a refusal left behind.
 */

export interface Office extends TestApp {
  topic: Topic;
  agencyId: string;
  officer: Agent;
  leader: Agent;
  /** DOIT staff. */
  admin: Agent;
  /** Officer and leader of another agency. */
  otherOfficer: Agent;
  otherLeader: Agent;
}

/** An app with one agency (officer + leader), another agency (officer + leader), DOIT staff and a topic, all signed in. */
export async function buildOffice(t: TestContext, env: Record<string, string> = {}, options: Parameters<typeof buildTestApp>[2] = {}): Promise<Office> {
  const testApp = await buildTestApp(t, env, options);
  const { app, db } = testApp;
  const agency = await buildAgency(db, { name: 'Sở Giáo dục và Đào tạo' });
  const other = await buildAgency(db, { name: 'Sở Y tế' });
  const topic = await buildTopic(db, { slug: 'giao-duc', nameVi: 'Giáo dục', nameEn: 'Education' });
  const signedIn = async (role: 'officer' | 'leader' | 'admin', agencyOf: typeof agency | null) => {
    const user = await buildUser(db, { role, agency: agencyOf });
    const agent = new Agent(app);
    await agent.signIn(user.email, testPassword);
    return agent;
  };
  return {
    ...testApp,
    topic,
    agencyId: agency.id,
    officer: await signedIn('officer', agency),
    leader: await signedIn('leader', agency),
    admin: await signedIn('admin', null),
    otherOfficer: await signedIn('officer', other),
    otherLeader: await signedIn('leader', other),
  };
}

/** Every field of the dataset form, filled in; `overrides` change or blank some. */
export function datasetFormValues(topicId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    title: 'Danh sách trường trung học phổ thông',
    slug: '',
    description: 'Danh sách các trường THPT trên địa bàn tỉnh: tên, địa chỉ, loại hình; cập nhật hằng năm từ Sở Giáo dục.',
    topicId,
    updateFrequency: 'yearly',
    firstPublicationDate: '2024-03-15',
    notes: 'Số liệu năm học 2023–2024',
    tags: 'trường học, giáo dục',
    licence: '',
    temporalCoverage: '2023–2024',
    spatialCoverage: 'Toàn tỉnh',
    contact: 'Phòng Kế hoạch – Tài chính',
    ...overrides,
  };
}

/** The officer fills in the new-dataset form; returns the response and the new dataset's id (when created). */
export async function createDraftThroughForm(agent: Agent, topicId: string, overrides: Record<string, string> = {}) {
  await agent.get('/admin/datasets/new');
  const response = await agent.post('/admin/datasets', datasetFormValues(topicId, overrides));
  const datasetId = /^\/admin\/datasets\/([0-9a-f-]{36})$/.exec(String(response.headers.location ?? ''))?.[1];
  return { response, datasetId: datasetId ?? '' };
}

export interface UploadInput {
  /** The form's CSRF token, sent as its first field as the browser does. */
  csrf?: string;
  fileName: string;
  content: Buffer | string;
  name?: string;
  description?: string;
  replaceResourceId?: string;
  contentType?: string;
}

/** A multipart body as a browser builds it: text fields first, then the file. */
export function multipartBody(input: UploadInput, boundary = `----portal-test-${Date.now().toString(16)}`) {
  const parts: Buffer[] = [];
  const field = (name: string, value: string) =>
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (input.csrf !== undefined) field('_csrf', input.csrf);
  if (input.name !== undefined) field('name', input.name);
  if (input.description !== undefined) field('description', input.description);
  if (input.replaceResourceId !== undefined) field('replaceResourceId', input.replaceResourceId);
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${input.fileName}"\r\nContent-Type: ${input.contentType ?? 'application/octet-stream'}\r\n\r\n`,
    ),
  );
  parts.push(Buffer.isBuffer(input.content) ? input.content : Buffer.from(input.content));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function decodeAmp(text: string) {
  return text.replace(/&amp;/g, '&');
}

/**
 * Uploads a file to the dataset's workspace: the CSRF token (the form's first field) comes from the
 * workspace page when it offers the form, otherwise it is the agent's token, as a stale browser tab
 * would send.
 */
export async function uploadFile(agent: Agent, app: FastifyInstance, datasetId: string, input: UploadInput): Promise<LightMyRequestResponse> {
  const workspace = await agent.get(`/admin/datasets/${datasetId}`);
  const fromPage = /class="form upload-form"[^>]*>\s*<input type="hidden" name="_csrf" value="([^"]+)"/.exec(workspace.body)?.[1];
  if (!agent.csrfToken) await agent.get('/login');
  const { body, contentType } = multipartBody({ csrf: fromPage ?? agent.csrfToken ?? '', ...input });
  const response = await app.inject({
    method: 'POST',
    url: `/admin/datasets/${datasetId}/resources`,
    payload: body,
    headers: { 'content-type': contentType },
    cookies: Object.fromEntries(agent.cookies),
  });
  // As a browser would: keep what the answer sets (the flash that carries a refusal to the next page).
  for (const cookie of response.cookies) agent.cookies.set(cookie.name, cookie.value);
  return response;
}

export const schoolsCsv = 'tên trường,huyện,số học sinh\nTHPT Quốc Học,Quy Nhơn,1200\nTHPT An Nhơn 1,An Nhơn,950\n';

/** Officer: create, upload a CSV, submit. Returns the dataset id. */
export async function draftAndSubmit(office: Office, overrides: Record<string, string> = {}, file: UploadInput = { fileName: 'truong-thpt.csv', content: schoolsCsv }) {
  const { datasetId, response } = await createDraftThroughForm(office.officer, office.topic.id, overrides);
  if (!datasetId) throw new Error(`draft not created: ${response.statusCode} ${fieldErrors(response.body).join(' | ')}`);
  const upload = await uploadFile(office.officer, office.app, datasetId, file);
  if (upload.statusCode !== 302) throw new Error(`upload refused: ${upload.statusCode} ${fieldErrors(upload.body).join(' | ')}`);
  const submitted = await office.officer.post(`/admin/datasets/${datasetId}/submit`);
  if (submitted.statusCode !== 302) throw new Error(`submit refused: ${submitted.statusCode}`);
  return datasetId;
}

/** Officer drafts and submits, leader approves: a published dataset. */
export async function publishThroughFlow(office: Office, overrides: Record<string, string> = {}, file?: UploadInput) {
  const datasetId = await draftAndSubmit(office, overrides, file);
  await office.leader.get(`/admin/datasets/${datasetId}/review`);
  const approved = await office.leader.post(`/admin/datasets/${datasetId}/approve`, { comment: '', piiConfirmed: 'on' });
  if (approved.statusCode !== 302) throw new Error(`approval refused: ${approved.statusCode} ${fieldErrors(approved.body).join(' | ')}`);
  return datasetId;
}

// --- Reading pages -----------------------------------------------------------------------------

export function decodeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, code: string) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The sentence shown next to one field, or undefined. */
export function fieldError(body: string, field: string): string | undefined {
  const match = new RegExp(`<p class="field__error" id="field-${field}-error">([^<]*)</p>`).exec(body);
  return match ? decodeHtml(match[1]) : undefined;
}

/** Every field sentence on the page (for failure messages). */
export function fieldErrors(body: string): string[] {
  return [...body.matchAll(/class="field__error"[^>]*>([^<]*)</g)].map((m) => decodeHtml(m[1]));
}

/** The sentence of the form as a whole (the error summary's second paragraph), or the error page's message. */
export function formError(body: string): string | undefined {
  const summary = /<div class="alert alert--error" role="alert">\s*<p class="alert__title">[^<]*<\/p>\s*<p>([^<]*)<\/p>/.exec(body);
  return summary ? decodeHtml(summary[1]) : undefined;
}

/** The value an input, textarea or select shows back. */
export function shownValue(body: string, field: string): string | undefined {
  const input = new RegExp(`<input id="field-${field}" name="${field}"[^>]*value="([^"]*)"`).exec(body);
  if (input) return decodeHtml(input[1]);
  const textarea = new RegExp(`<textarea id="field-${field}"[^>]*>([^<]*)</textarea>`).exec(body);
  if (textarea) return decodeHtml(textarea[1]);
  const select = new RegExp(`<select id="field-${field}"[^>]*>([\\s\\S]*?)</select>`).exec(body);
  if (select) return decodeHtml(/<option value="([^"]*)" selected>/.exec(select[1])?.[1] ?? '');
  return undefined;
}

/** Plain text of a page, tags removed and entities decoded: for "the page says …" checks. */
export function pageText(body: string): string {
  return decodeHtml(body.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
}

// --- Reading the database ----------------------------------------------------------------------

export async function datasetRow(db: Queryable, datasetId: string) {
  const [row] = await db.select().from(datasets).where(eq(datasets.id, datasetId));
  return row;
}

export async function revisionsOf(db: Queryable, datasetId: string) {
  return db.select().from(datasetRevisions).where(eq(datasetRevisions.datasetId, datasetId)).orderBy(asc(datasetRevisions.number));
}

export async function resourcesOfRevision(db: Queryable, revisionId: string) {
  return db.select().from(resources).where(eq(resources.revisionId, revisionId)).orderBy(asc(resources.position));
}

export async function reviewsOf(db: Queryable, datasetId: string) {
  return db
    .select({ review: revisionReviews })
    .from(revisionReviews)
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, revisionReviews.revisionId))
    .where(eq(datasetRevisions.datasetId, datasetId))
    .orderBy(asc(revisionReviews.at))
    .then((rows) => rows.map((row) => row.review));
}

export async function auditOf(db: Queryable, datasetId: string) {
  return db.select().from(auditLog).where(eq(auditLog.objectId, datasetId)).orderBy(asc(auditLog.id));
}

/** Rows of each kind; the audit count leaves out refused requests, which are recorded as such (audit.refusals.ts). */
export async function countRows(db: Queryable) {
  const [audit] = await db.select({ n: count() }).from(auditLog).where(ne(auditLog.action, 'access.refused'));
  const [reviews] = await db.select({ n: count() }).from(revisionReviews);
  const [revisions] = await db.select({ n: count() }).from(datasetRevisions);
  const [files] = await db.select({ n: count() }).from(resources);
  const [sets] = await db.select({ n: count() }).from(datasets);
  return { audit: audit.n, reviews: reviews.n, revisions: revisions.n, resources: files.n, datasets: sets.n };
}

/** Everything the database says about one dataset, to compare before and after a refusal. */
export async function snapshot(db: Queryable, datasetId: string) {
  const revisions = await revisionsOf(db, datasetId);
  return {
    dataset: await datasetRow(db, datasetId),
    revisions,
    resources: await Promise.all(revisions.map((revision) => resourcesOfRevision(db, revision.id))),
    reviews: await reviewsOf(db, datasetId),
    audit: await auditOf(db, datasetId),
  };
}

// --- Reading storage ---------------------------------------------------------------------------

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(full)));
    else found.push(full);
  }
  return found;
}

/** Every file in storage (`files/`) and in the upload staging area (`tmp/uploads/`), relative to dataDir. */
export async function filesOnDisk(dataDir: string): Promise<string[]> {
  const all = [...(await walk(path.join(dataDir, 'files'))), ...(await walk(path.join(dataDir, 'tmp', 'uploads')))];
  return all.map((file) => path.relative(dataDir, file)).sort();
}

/** Public download URLs on a public dataset page. */
export function downloadLinks(body: string): string[] {
  return [...body.matchAll(/href="(\/dataset\/[^"]+\/resource\/[^"]+\/download[^"]*)"/g)].map((m) => decodeAmp(m[1]));
}

export { testPassword };
