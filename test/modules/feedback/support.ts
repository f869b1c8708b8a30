// Helpers shared by the feedback tests. Not a test file itself.
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../../src/db/client.ts';
import { auditLog } from '../../../src/modules/audit/audit.table.ts';
import { type Feedback, feedback, feedbackAnswers } from '../../../src/modules/feedback/feedback.table.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset, buildTopic, buildUser } from '../../helpers/factories.ts';
import { agentFor } from '../accounts/support.ts';
import { decodeHtml } from '../datasets/publishing-helpers.ts';

export { decodeHtml, fieldError, formError, pageText, shownValue } from '../datasets/publishing-helpers.ts';

/**
 * Two agencies (A publishes a dataset; B does not), their officers and leaders signed in, DOIT staff,
 * a topic group and an anonymous visitor's browser.
 */
export async function buildFeedbackWorld(t: TestContext, env: Record<string, string> = {}) {
  const testApp = await buildTestApp(t, env);
  const { db } = testApp;
  const agencyA = await buildAgency(db, { name: 'Sở Tài nguyên và Môi trường', slug: 'so-tai-nguyen-va-moi-truong' });
  const agencyB = await buildAgency(db, { name: 'Sở Y tế', slug: 'so-y-te' });
  const topic = await buildTopic(db, { slug: 'moi-truong', nameVi: 'Tài nguyên và Môi trường', nameEn: 'Natural resources and environment' });
  const { dataset, revision } = await buildDataset(db, testApp.storage, {
    agency: agencyA,
    topic,
    slug: 'chat-luong-khong-khi',
    revision: { title: 'Chỉ số chất lượng không khí' },
    files: [{ content: 'tram,aqi\nQuy Nhơn,42\n' }],
  });
  const officerAUser = await buildUser(db, { role: 'officer', agency: agencyA, email: 'can-bo-a@example.gov.vn' });
  const leaderAUser = await buildUser(db, { role: 'leader', agency: agencyA, email: 'lanh-dao-a@example.gov.vn' });
  const officerBUser = await buildUser(db, { role: 'officer', agency: agencyB, email: 'can-bo-b@example.gov.vn' });
  const adminUser = await buildUser(db, { role: 'admin', email: 'quan-tri@example.gov.vn' });
  return {
    ...testApp,
    agencyA,
    agencyB,
    topic,
    dataset: { ...dataset, title: revision.title },
    officerA: await agentFor(testApp, officerAUser),
    leaderA: await agentFor(testApp, leaderAUser),
    officerB: await agentFor(testApp, officerBUser),
    admin: await agentFor(testApp, adminUser),
    visitor: new Agent(testApp.app, '203.0.113.7'),
  };
}
export type FeedbackWorld = Awaited<ReturnType<typeof buildFeedbackWorld>>;

/** A stamp from a form shown a minute ago: old enough to pass the minimum fill time. */
export const patientStamp = (app: FastifyInstance) => app.feedbackStamps.issue(Date.now() - 60_000);

/** Every field of the public form, filled in as a person would (the honeypot left empty). */
export function feedbackFormValues(app: FastifyInstance, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    kind: 'format',
    title: 'Tệp CSV bị lỗi phông chữ',
    message: 'Khi mở tệp bằng Excel, tên trạm quan trắc bị lỗi dấu tiếng Việt.\nĐề nghị cung cấp thêm tệp XLSX.',
    name: 'Nguyễn Thị Lan',
    email: 'lan.nguyen@example.com',
    website: '',
    stamp: patientStamp(app),
    ...overrides,
  };
}

/** The visitor opens the form (for its CSRF token) and sends it; returns the response and the new item's id. */
export async function sendFeedback(agent: Agent, overrides: Record<string, string> = {}) {
  if (!agent.csrfToken) await agent.get('/feedback/new');
  const response = await agent.post('/feedback', feedbackFormValues(agent.app, overrides));
  const id = /^\/feedback\/([0-9a-f-]{36})$/.exec(String(response.headers.location ?? ''))?.[1] ?? '';
  return { response, id };
}

export async function feedbackRows(db: Queryable): Promise<Feedback[]> {
  return db.select().from(feedback).orderBy(asc(feedback.number));
}

export async function feedbackRow(db: Queryable, id: string): Promise<Feedback> {
  const [row] = await db.select().from(feedback).where(eq(feedback.id, id));
  return row;
}

export async function answersOf(db: Queryable, id: string) {
  return db.select().from(feedbackAnswers).where(eq(feedbackAnswers.feedbackId, id)).orderBy(asc(feedbackAnswers.version));
}

export async function auditOf(db: Queryable, id: string) {
  return db.select().from(auditLog).where(eq(auditLog.objectId, id)).orderBy(asc(auditLog.id));
}

/** The text of the one-time message shown after a redirect. */
export function flashText(body: string): string | undefined {
  const match = /<div class="alert alert--(?:success|error)" role="(?:status|alert)"><p>([^<]*)<\/p><\/div>/.exec(body);
  return match ? decodeHtml(match[1]) : undefined;
}

export type { TestApp };
