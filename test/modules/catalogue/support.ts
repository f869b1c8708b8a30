import { readFileSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Queryable } from '../../../src/db/client.ts';
import { insertAgencies } from '../../../src/modules/agencies/agencies.repository.ts';
import type { Agency } from '../../../src/modules/agencies/agencies.table.ts';
import { catalogueEntries } from '../../../src/modules/catalogue/catalogue.table.ts';
import { demoAgencies, demoTopics } from '../../../src/modules/demo/demo-catalogue.ts';
import { insertTopics } from '../../../src/modules/topics/topics.repository.ts';
import type { Topic } from '../../../src/modules/topics/topics.table.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { buildUser, testPassword } from '../../helpers/factories.ts';
import { multipartBody } from '../datasets/publishing-helpers.ts';

/** The demo's copy of the Bình Định catalogue (the repository's own file). */
export const binhDinhCsv = readFileSync(new URL('../../../src/modules/demo/binh-dinh-catalogue.csv', import.meta.url));

export interface CatalogueWorld extends TestApp {
  agencies: Agency[];
  topics: Topic[];
  doit: Agent;
  officer: Agent;
  officerAgency: Agency;
}

/** An app with the Bình Định agencies and topic groups, DOIT signed in and an officer of the Department of Education. */
export async function buildCatalogueWorld(t: TestContext): Promise<CatalogueWorld> {
  const testApp = await buildTestApp(t);
  const { app, db } = testApp;
  const topics = await insertTopics(db, demoTopics.map((topic) => ({ ...topic })));
  const agencies = await insertAgencies(db, demoAgencies.map((agency) => ({ ...agency })));
  const signedIn = async (role: 'officer' | 'admin', agency: Agency | null) => {
    const user = await buildUser(db, { role, agency });
    const agent = new Agent(app);
    await agent.signIn(user.email, testPassword);
    return agent;
  };
  const officerAgency = agencies.find((agency) => agency.name === 'Sở Giáo dục và Đào tạo')!;
  return { ...testApp, topics, agencies, doit: await signedIn('admin', null), officer: await signedIn('officer', officerAgency), officerAgency };
}

/** Posts a file to the import form of a catalogue, as a browser does (the token is the form's first field). */
export async function uploadCatalogue(world: CatalogueWorld, catalogueId: string, fileName: string, content: Buffer | string) {
  const page = await world.doit.get(`/admin/catalogue/${catalogueId}/import`);
  const action = /action="([^"]*\/import)" enctype="multipart\/form-data"/.exec(page.body)?.[1];
  const csrf = /enctype="multipart\/form-data"[^>]*>\s*(?:<%[^%]*%>\s*)?<input type="hidden" name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!action || !csrf) throw new Error(`no import form: ${page.statusCode}`);
  const { body, contentType } = multipartBody({ csrf, fileName, content });
  return world.app.inject({ method: 'POST', url: action, payload: body, headers: { 'content-type': contentType }, cookies: Object.fromEntries(world.doit.cookies) });
}

export async function entriesOf(db: Queryable, catalogueId: string) {
  return db.select().from(catalogueEntries).where(eq(catalogueEntries.catalogueId, catalogueId)).orderBy(catalogueEntries.number);
}

/** What an entry says, without ids and timestamps: for "the same entries" comparisons. */
export function entryContent(entry: typeof catalogueEntries.$inferSelect) {
  const { id: _id, catalogueId: _catalogue, createdAt: _created, datasetId: _dataset, ...content } = entry;
  return content;
}
