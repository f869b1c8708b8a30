import assert from 'node:assert/strict';
import { test } from 'node:test';
import { databaseCategories, provinceDatabases } from '../../../src/modules/catalogue/databases.table.ts';
import { buildDataset } from '../../helpers/factories.ts';
import { pageText } from '../datasets/publishing-helpers.ts';
import { buildCatalogueWorld, type CatalogueWorld } from './support.ts';

function databaseForm(world: CatalogueWorld, overrides: Record<string, string> = {}) {
  return {
    name: 'Cơ sở dữ liệu ngành Giáo dục',
    ownerAgencyId: world.officerAgency.id,
    purpose: 'Quản lý trường, lớp, học sinh và đội ngũ nhà giáo.',
    scope: 'Toàn tỉnh, từ năm học 2018–2019',
    content: 'Danh sách trường; hồ sơ học sinh; hồ sơ giáo viên.',
    collection: 'Các trường nhập trên phần mềm của ngành, Sở tổng hợp mỗi học kỳ.',
    category_name_0: 'Danh sách trường mầm non',
    category_class_0: 'open',
    category_dataset_0: '',
    category_name_1: 'Hồ sơ giáo viên',
    category_class_1: 'shared',
    category_name_2: 'Hồ sơ học sinh',
    category_class_2: 'on_request',
    ...overrides,
  };
}

test('Lai Châu plan II.1: DOIT records a database with the sharing class of each data category; open categories link to their dataset on /catalogue/databases', async (t) => {
  const world = await buildCatalogueWorld(t);
  const { dataset } = await buildDataset(world.db, world.storage, { agency: world.officerAgency, topic: world.topics[0], slug: 'truong-mam-non', revision: { title: 'Danh sách trường mầm non' } });
  await world.doit.get('/admin/catalogue/databases/new');
  const saved = await world.doit.post('/admin/catalogue/databases', databaseForm(world, { category_dataset_0: 'https://data.binhdinh.gov.vn/dataset/truong-mam-non' }));
  assert.equal(saved.statusCode, 302);
  const [database] = await world.db.select().from(provinceDatabases);
  const categories = await world.db.select().from(databaseCategories).orderBy(databaseCategories.position);
  assert.deepEqual(
    categories.map((category) => [category.name, category.sharingClass, category.datasetId]),
    [
      ['Danh sách trường mầm non', 'open', dataset.id],
      ['Hồ sơ giáo viên', 'shared', null],
      ['Hồ sơ học sinh', 'on_request', null],
    ],
  );
  const page = await world.app.inject({ method: 'GET', url: '/catalogue/databases' });
  assert.equal(page.statusCode, 200);
  const text = pageText(page.body);
  assert.match(text, /Cơ sở dữ liệu ngành Giáo dục .*Cơ quan chủ quản Sở Giáo dục và Đào tạo .*Mục đích Quản lý trường/);
  assert.match(text, /Nhóm dữ liệu: 1 mở, 1 dùng chung, 1 chia sẻ theo yêu cầu/);
  assert.match(text, /Danh sách trường mầm non Dữ liệu mở Danh sách trường mầm non .*Hồ sơ giáo viên Dùng chung .*Hồ sơ học sinh Chia sẻ theo yêu cầu/);
  assert.match(page.body, /href="\/dataset\/truong-mam-non"/);
  assert.match(pageText((await world.app.inject({ method: 'GET', url: '/catalogue/databases?lang=en' })).body), /Shared on request/);

  // Editing replaces the categories; removing asks first, then removes.
  const edit = await world.doit.get(`/admin/catalogue/databases/${database.id}/edit`);
  assert.match(edit.body, /name="category_dataset_0" type="text" value="\/dataset\/truong-mam-non"/);
  assert.equal((await world.doit.post(`/admin/catalogue/databases/${database.id}`, databaseForm(world, { name: 'CSDL Giáo dục', category_name_2: '', category_class_2: '' }))).statusCode, 302);
  assert.equal((await world.db.select().from(databaseCategories)).length, 2);
  const ask = await world.doit.post(`/admin/catalogue/databases/${database.id}/delete`);
  assert.equal(ask.statusCode, 200);
  assert.equal((await world.db.select().from(provinceDatabases)).length, 1, 'nothing removed before confirming');
  assert.equal((await world.doit.post(`/admin/catalogue/databases/${database.id}/delete`, { confirm: 'yes' })).statusCode, 302);
  assert.equal((await world.db.select().from(provinceDatabases)).length, 0);
});

test('a database form with a missing name, a category without sharing class, a link on a non-open category or an unknown dataset re-renders with each sentence next to its cell and stores nothing', async (t) => {
  const world = await buildCatalogueWorld(t);
  await world.doit.get('/admin/catalogue/databases/new');
  const bad = await world.doit.post(
    '/admin/catalogue/databases',
    databaseForm(world, { name: ' ', category_class_0: '', category_dataset_1: '/dataset/ho-so-giao-vien', category_name_2: 'Hồ sơ học sinh', category_class_2: 'sometimes' }),
  );
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /id="field-name-error">Vui lòng điền mục này/);
  assert.match(bad.body, /id="field-category_class_0-error">Chọn hình thức chia sẻ/);
  assert.match(bad.body, /id="field-category_dataset_1-error">Chỉ nhóm dữ liệu mở mới liên kết/);
  assert.match(bad.body, /id="field-category_class_2-error">Chọn hình thức chia sẻ/);
  assert.match(bad.body, /value="Danh sách trường mầm non"/, 'what was typed is kept');
  const unknown = await world.doit.post('/admin/catalogue/databases?lang=en', databaseForm(world, { category_dataset_0: '/dataset/khong-co' }));
  assert.equal(unknown.statusCode, 422);
  assert.match(unknown.body, /id="field-category_dataset_0-error">No published dataset was found at this address/);
  assert.equal((await world.db.select().from(provinceDatabases)).length, 0);
});

test('only DOIT records databases: an officer is refused with 403 and nothing changes', async (t) => {
  const world = await buildCatalogueWorld(t);
  assert.equal((await world.officer.get('/admin/catalogue/databases')).statusCode, 403);
  assert.equal((await world.officer.get('/admin/catalogue/databases/new')).statusCode, 403);
  await world.officer.get('/admin');
  assert.equal((await world.officer.post('/admin/catalogue/databases', databaseForm(world))).statusCode, 403);
  assert.equal((await world.db.select().from(provinceDatabases)).length, 0);
});
