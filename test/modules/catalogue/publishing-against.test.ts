import assert from 'node:assert/strict';
import { test } from 'node:test';
import { datasets } from '../../../src/modules/datasets/datasets.table.ts';
import { importCatalogueForYear } from '../../../src/modules/catalogue/catalogue.service.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildUser, testPassword } from '../../helpers/factories.ts';
import { datasetFormValues, pageText, shownValue } from '../datasets/publishing-helpers.ts';
import { binhDinhCsv, buildCatalogueWorld, entriesOf } from './support.ts';

async function approvedWorld(t: Parameters<typeof buildCatalogueWorld>[0]) {
  const world = await buildCatalogueWorld(t);
  const year = new Date().getFullYear();
  const { catalogue } = await importCatalogueForYear(world.db, { year, fileName: 'a.csv', bytes: binhDinhCsv, approve: { decisionNumber: '1', decisionDate: `${year}-01-15`, signer: 'B' } });
  await world.db.execute(`update catalogue_entries set frequency = 'quarterly', description = 'Mô tả của dòng ' || number where catalogue_id = '${catalogue.id}'` as never);
  return { world, entries: await entriesOf(world.db, catalogue.id) };
}

test("an officer sees the agency's unpublished entries and creates a dataset from one, prefilled and linked to it", async (t) => {
  const { world, entries } = await approvedWorld(t);
  const home = await world.officer.get('/admin');
  const todo = pageText(home.body);
  assert.match(todo, /Dòng danh mục chưa công bố \(13\)/);
  assert.doesNotMatch(todo, /Dữ liệu về danh sách các chợ/, "another agency's entries are not on the list");
  const kindergartens = entries.find((entry) => entry.number === 3)!;
  const form = await world.officer.get(`/admin/datasets/new?entry=${kindergartens.id}`);
  assert.equal(form.statusCode, 200);
  assert.equal(shownValue(form.body, 'title'), 'Dữ liệu các nhà trẻ');
  assert.equal(shownValue(form.body, 'updateFrequency'), 'quarterly');
  assert.equal(shownValue(form.body, 'topicId'), kindergartens.topicId);
  const created = await world.officer.post('/admin/datasets', datasetFormValues(kindergartens.topicId, { title: 'Dữ liệu các nhà trẻ', catalogueEntryId: kindergartens.id }));
  assert.equal(created.statusCode, 302);
  const [dataset] = await world.db.select().from(datasets);
  assert.equal(dataset.catalogueNumber, 3);
  assert.equal((await entriesOf(world.db, kindergartens.catalogueId)).find((entry) => entry.number === 3)?.datasetId, dataset.id);
  assert.match(pageText((await world.officer.get('/admin')).body), /Dòng danh mục chưa công bố \(12\)/);
  const again = await world.officer.post('/admin/datasets', datasetFormValues(kindergartens.topicId, { title: 'Nhà trẻ lần hai', catalogueEntryId: kindergartens.id }));
  assert.equal(again.statusCode, 422);
  assert.match(pageText(again.body), /Dòng danh mục này đã có tập dữ liệu/);
  assert.equal((await world.db.select().from(datasets)).length, 1);
});

test("an officer cannot pick another agency's entry: refused, and no dataset is created", async (t) => {
  const { world, entries } = await approvedWorld(t);
  const markets = entries.find((entry) => entry.number === 55)!; // Sở Công Thương
  assert.equal((await world.officer.get(`/admin/datasets/new?entry=${markets.id}`)).statusCode, 403);
  await world.officer.get('/admin/datasets/new');
  const forged = await world.officer.post('/admin/datasets', datasetFormValues(markets.topicId, { title: 'Danh sách chợ', catalogueEntryId: markets.id }));
  assert.equal(forged.statusCode, 403);
  assert.equal((await world.db.select().from(datasets)).length, 0);
  assert.equal((await entriesOf(world.db, markets.catalogueId)).find((entry) => entry.number === 55)?.datasetId, null);
  const industry = world.agencies.find((agency) => agency.name === 'Sở Công Thương')!;
  const owner = new Agent(world.app);
  await owner.signIn((await buildUser(world.db, { role: 'officer', agency: industry })).email, testPassword);
  assert.equal((await owner.get(`/admin/datasets/new?entry=${markets.id}`)).statusCode, 200, 'its own agency may');
});
