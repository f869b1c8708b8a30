import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { importCatalogueForYear } from '../../../src/modules/catalogue/catalogue.service.ts';
import { catalogues } from '../../../src/modules/catalogue/catalogue.table.ts';
import { catalogueRequests } from '../../../src/modules/catalogue/requests.table.ts';
import { vietnamDay } from '../../../src/modules/catalogue/deadlines.ts';
import { deliveredMail } from '../../helpers/mail.ts';
import { pageText } from '../datasets/publishing-helpers.ts';
import { binhDinhCsv, buildCatalogueWorld, type CatalogueWorld, entriesOf } from './support.ts';

const thisYear = Number(vietnamDay(new Date()).slice(0, 4));

async function approvedWorld(t: Parameters<typeof buildCatalogueWorld>[0]) {
  const world = await buildCatalogueWorld(t);
  const { catalogue } = await importCatalogueForYear(world.db, { year: thisYear, fileName: 'a.csv', bytes: binhDinhCsv, approve: { decisionNumber: '1', decisionDate: `${thisYear}-01-15`, signer: 'B' } });
  return { world, catalogue };
}

function requestValues(world: CatalogueWorld, overrides: Record<string, string> = {}) {
  return {
    title: 'Danh sách trung tâm ngoại ngữ, tin học',
    description: 'Tên, địa chỉ, giấy phép hoạt động của các trung tâm ngoại ngữ, tin học trên địa bàn tỉnh.',
    reason: 'Phụ huynh hỏi nhiều qua đường dây nóng.',
    frequency: 'half_yearly',
    topicId: world.topics[0].id,
    ...overrides,
  };
}

async function sendRequest(world: CatalogueWorld, overrides: Record<string, string> = {}) {
  await world.officer.get('/admin/catalogue/requests/new');
  const sent = await world.officer.post('/admin/catalogue/requests', requestValues(world, overrides));
  assert.equal(sent.statusCode, 302);
  const [row] = await world.db.select().from(catalogueRequests).where(eq(catalogueRequests.title, requestValues(world, overrides).title));
  return row;
}

test('Art. 7.2: a dataset outside the catalogue starts as a request; DOIT adds it to this year\'s catalogue and the agency is mailed and publishes against the new entry', async (t) => {
  const { world, catalogue } = await approvedWorld(t);
  const form = await world.officer.get('/admin/datasets/new');
  assert.match(form.body, /href="\/admin\/catalogue\/requests\/new"/, 'the new-dataset form offers the request');
  const request = await sendRequest(world);
  assert.equal(request.state, 'pending');
  assert.equal(request.agencyId, world.officerAgency.id);
  const toDoit = await deliveredMail(world.app, 1);
  assert.match(toDoit.at(-1)!.subject, /Đề nghị bổ sung danh mục: Danh sách trung tâm ngoại ngữ/);

  const own = pageText((await world.officer.get('/admin/catalogue/requests')).body);
  assert.match(own, /Đang chờ xử lý \(1\).*Danh sách trung tâm ngoại ngữ, tin học.*Chờ xử lý/);
  const queue = pageText((await world.doit.get('/admin/catalogue/requests')).body);
  assert.match(queue, /Đang chờ xử lý \(1\).*Danh sách trung tâm ngoại ngữ, tin học.*Sở Giáo dục và Đào tạo/);

  await world.doit.get(`/admin/catalogue/requests/${request.id}`);
  const approved = await world.doit.post(`/admin/catalogue/requests/${request.id}/approve`, { target: 'current' });
  assert.equal(approved.statusCode, 302);
  const entry = (await entriesOf(world.db, catalogue.id)).find((row) => row.title === request.title)!;
  assert.equal(entry.number, 168, 'added at the end of the 167 entries');
  assert.deepEqual([entry.agencyId, entry.frequency, entry.topicId], [world.officerAgency.id, 'half_yearly', request.topicId]);
  assert.match(entry.notes, /Bổ sung theo đề nghị/);
  const mails = await deliveredMail(world.app, 1);
  const toAgency = mails.at(-1)!;
  assert.match(toAgency.subject, /Đã bổ sung vào danh mục/);
  assert.match(toAgency.text, new RegExp(`danh mục năm ${thisYear}, dòng số 168`));

  const list = await world.officer.get('/admin/catalogue/requests');
  assert.match(pageText(list.body), new RegExp(`Đã xử lý \\(1\\).*Đã bổ sung Danh mục ${thisYear}, dòng số 168`));
  assert.match(list.body, new RegExp(`href="/admin/datasets/new\\?entry=${entry.id}"`), 'the officer can now publish against it');
  assert.equal((await world.officer.get(`/admin/datasets/new?entry=${entry.id}`)).statusCode, 200);

  const again = await world.doit.post(`/admin/catalogue/requests/${request.id}/decline`, { declineReason: 'Trùng' });
  assert.equal(again.statusCode, 422);
  assert.match(pageText(again.body), /Đề nghị này đã được xử lý/);
});

test('Art. 7.2: DOIT declines a request with a reason that the agency reads on its list and in its mail', async (t) => {
  const { world } = await approvedWorld(t);
  const request = await sendRequest(world);
  await deliveredMail(world.app, 1);
  await world.doit.get(`/admin/catalogue/requests/${request.id}`);
  const empty = await world.doit.post(`/admin/catalogue/requests/${request.id}/decline`, { declineReason: ' ' });
  assert.equal(empty.statusCode, 422);
  assert.match(empty.body, /id="field-declineReason-error">Vui lòng điền mục này/);
  const declined = await world.doit.post(`/admin/catalogue/requests/${request.id}/decline`, { declineReason: 'Đã có trong dòng số 12 của danh mục.' });
  assert.equal(declined.statusCode, 302);
  const mail = (await deliveredMail(world.app, 1)).at(-1)!;
  assert.match(mail.subject, /bị từ chối/);
  assert.match(mail.text, /Lý do: Đã có trong dòng số 12 của danh mục\./);
  assert.ok(mail.to.includes((await world.db.query.users.findFirst({ where: (users, { eq }) => eq(users.agencyId, world.officerAgency.id) }))!.email));
  assert.match(pageText((await world.officer.get('/admin/catalogue/requests')).body), /Bị từ chối Đã có trong dòng số 12 của danh mục\./);
});

test('Art. 7.2: a request approved into next year\'s catalogue starts that draft as a copy of this year\'s and adds the entry at its end', async (t) => {
  const { world } = await approvedWorld(t);
  const request = await sendRequest(world);
  await world.doit.get(`/admin/catalogue/requests/${request.id}`);
  assert.equal((await world.doit.post(`/admin/catalogue/requests/${request.id}/approve`, { target: 'next' })).statusCode, 302);
  const [next] = await world.db.select().from(catalogues).where(eq(catalogues.year, thisYear + 1));
  assert.equal(next.status, 'draft');
  const entries = await entriesOf(world.db, next.id);
  assert.equal(entries.length, 168);
  assert.equal(entries.at(-1)!.title, request.title);
  assert.equal(entries.at(-1)!.notes, '', 'a draft entry is not a supplement');
  await world.db.update(catalogues).set({ status: 'submitted' }).where(eq(catalogues.id, next.id));
  const second = await sendRequest(world, { title: 'Danh sách thư viện trường học' });
  await world.doit.get(`/admin/catalogue/requests/${second.id}`);
  const refused = await world.doit.post(`/admin/catalogue/requests/${second.id}/approve`, { target: 'next' });
  assert.equal(refused.statusCode, 422);
  assert.match(refused.body, new RegExp(`id="field-target-error">Danh mục năm ${thisYear + 1} đã được trình hoặc phê duyệt`));
});

test('a request form with missing fields re-renders with a sentence next to each field, in Vietnamese and in English', async (t) => {
  const { world } = await approvedWorld(t);
  await world.officer.get('/admin/catalogue/requests/new');
  const vi = await world.officer.post('/admin/catalogue/requests', { title: '', description: '', reason: '', frequency: 'sometimes', topicId: 'x' });
  assert.equal(vi.statusCode, 422);
  for (const field of ['title', 'description', 'reason', 'frequency', 'topicId']) assert.match(vi.body, new RegExp(`id="field-${field}-error"`), field);
  assert.match(vi.body, /id="field-title-error">Vui lòng điền mục này/);
  await world.officer.get('/admin/catalogue/requests/new?lang=en');
  const en = await world.officer.post('/admin/catalogue/requests', { title: 'Only a title', description: '', reason: '', frequency: 'monthly', topicId: world.topics[0].id });
  assert.equal(en.statusCode, 422);
  assert.match(en.body, /id="field-reason-error">Please fill in this field/);
  assert.match(en.body, /value="Only a title"/);
  assert.equal((await world.db.select().from(catalogueRequests)).length, 0);
});

test("an officer sees only their agency's requests and cannot decide them; DOIT cannot be asked a request by no agency", async (t) => {
  const { world } = await approvedWorld(t);
  const request = await sendRequest(world);
  await world.officer.get('/admin/catalogue/requests');
  assert.equal((await world.officer.post(`/admin/catalogue/requests/${request.id}/approve`, { target: 'current' })).statusCode, 403);
  assert.equal((await world.db.select().from(catalogueRequests))[0].state, 'pending');
  const page = await world.officer.get(`/admin/catalogue/requests/${request.id}`);
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /\/approve"/, 'no decision form for the agency');
  const { buildUser, testPassword } = await import('../../helpers/factories.ts');
  const { Agent } = await import('../../helpers/agent.ts');
  const health = world.agencies.find((agency) => agency.name === 'Sở Y tế')!;
  const stranger = new Agent(world.app);
  await stranger.signIn((await buildUser(world.db, { role: 'officer', agency: health })).email, testPassword);
  assert.equal((await stranger.get(`/admin/catalogue/requests/${request.id}`)).statusCode, 403);
  assert.doesNotMatch(pageText((await stranger.get('/admin/catalogue/requests')).body), /trung tâm ngoại ngữ/);
});
