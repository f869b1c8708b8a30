import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { agencies } from '../../../src/modules/agencies/agencies.table.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset, buildUser } from '../../helpers/factories.ts';
import { agentFor, auditRows, countRows, fieldError, inputValue, unescapeHtml } from '../accounts/support.ts';

/*
 * DOIT manages the agencies that publish (782 Art. 5.1): create, edit, deactivate and reactivate;
 * never delete, so that published data stays attributed.
 */

async function doitAgent(testApp: TestApp) {
  const admin = await buildUser(testApp.db, { role: 'admin' });
  return { admin, doit: await agentFor(testApp, admin, '198.51.100.40') };
}

async function agencyNamed(testApp: TestApp, name: string) {
  const [agency] = await testApp.db.select().from(agencies).where(eq(agencies.name, name));
  return agency;
}

test('DOIT creates an agency whose slug is derived from its Vietnamese name, and it appears in the public list', async (t) => {
  const testApp = await buildTestApp(t);
  const { admin, doit } = await doitAgent(testApp);
  const response = await doit.post('/admin/agencies', {
    name: 'Sở Giáo dục và Đào tạo',
    kind: 'department',
    slug: '',
    email: 'sgddt@binhdinh.gov.vn',
    website: 'https://sgddt.binhdinh.gov.vn',
    phone: '0256 3822 231',
    address: '01 Trần Phú, Quy Nhơn',
  });
  assert.equal(response.statusCode, 302);
  assert.equal(response.headers.location, '/admin/agencies');
  const agency = await agencyNamed(testApp, 'Sở Giáo dục và Đào tạo');
  assert.equal(agency.slug, 'so-giao-duc-va-dao-tao');
  assert.equal(agency.active, true);
  assert.match((await doit.get('/admin/agencies')).body, /Đã thêm Sở Giáo dục và Đào tạo\./);

  const list = await testApp.app.inject({ method: 'GET', url: '/organization' });
  assert.match(list.body, /href="\/organization\/so-giao-duc-va-dao-tao"/);
  assert.equal((await testApp.app.inject({ method: 'GET', url: '/organization/so-giao-duc-va-dao-tao' })).statusCode, 200);

  const [row] = await auditRows(testApp.db);
  assert.deepEqual([row.action, row.actorId, row.objectType, row.objectId, row.objectLabel, row.ip], ['agency.create', admin.id, 'agency', agency.id, 'Sở Giáo dục và Đào tạo', '198.51.100.40']);
});

test('DOIT edits an agency: the form shows its values and the change is saved and audited with what changed', async (t) => {
  const testApp = await buildTestApp(t);
  const { doit } = await doitAgent(testApp);
  const agency = await buildAgency(testApp.db, { name: 'Sở Công Thương', slug: 'so-cong-thuong', phone: '0256 111 222' });
  const form = await doit.get(`/admin/agencies/${agency.id}/edit`);
  assert.equal(form.statusCode, 200);
  assert.equal(unescapeHtml(inputValue(form.body, 'name') ?? ''), 'Sở Công Thương');
  assert.equal(inputValue(form.body, 'slug'), 'so-cong-thuong');

  const response = await doit.post(`/admin/agencies/${agency.id}`, { name: 'Sở Công Thương tỉnh Bình Định', kind: 'department', slug: '', phone: '0256 333 444', email: agency.email ?? '' });
  assert.equal(response.statusCode, 302);
  const [after] = await testApp.db.select().from(agencies).where(eq(agencies.id, agency.id));
  assert.equal(after.name, 'Sở Công Thương tỉnh Bình Định');
  assert.equal(after.slug, 'so-cong-thuong', 'an empty slug keeps the old one: links stay valid');
  assert.equal(after.phone, '0256 333 444');
  const [row] = await auditRows(testApp.db);
  assert.equal(row.action, 'agency.update');
  assert.deepEqual((row.details as { changed: string[] }).changed.sort(), ['name', 'phone']);
});

test('a deactivated agency disappears from the public list; its published datasets stay reachable and still name it; reactivation brings it back', async (t) => {
  const testApp = await buildTestApp(t);
  const { doit } = await doitAgent(testApp);
  const agency = await buildAgency(testApp.db, { name: 'Sở Văn hóa, Thể thao và Du lịch', slug: 'so-van-hoa-the-thao-va-du-lich' });
  const { dataset } = await buildDataset(testApp.db, testApp.storage, { agency, revision: { title: 'Danh sách di tích lịch sử' } });

  assert.equal((await doit.post(`/admin/agencies/${agency.id}/deactivate`)).statusCode, 302);
  const list = await testApp.app.inject({ method: 'GET', url: '/organization' });
  assert.doesNotMatch(list.body, /so-van-hoa-the-thao-va-du-lich/);
  const agencyPage = await testApp.app.inject({ method: 'GET', url: '/organization/so-van-hoa-the-thao-va-du-lich' });
  assert.equal(agencyPage.statusCode, 200, 'its page stays, since its datasets link to it');
  assert.match(agencyPage.body, /đã ngừng hoạt động/);
  const page = await testApp.app.inject({ method: 'GET', url: `/dataset/${dataset.slug}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Danh sách di tích lịch sử/);
  assert.match(page.body, /Sở Văn hóa, Thể thao và Du lịch/);
  assert.match((await doit.get('/admin/agencies')).body, /Ngừng hoạt động/, 'DOIT still lists it');

  assert.equal((await doit.post(`/admin/agencies/${agency.id}/reactivate`)).statusCode, 302);
  assert.match((await testApp.app.inject({ method: 'GET', url: '/organization' })).body, /so-van-hoa-the-thao-va-du-lich/);
  assert.deepEqual((await auditRows(testApp.db)).map((row) => row.action), ['agency.deactivate', 'agency.reactivate']);
});

test('the dataset page of a deactivated agency does not link to a missing agency page', async (t) => {
  const testApp = await buildTestApp(t);
  const { doit } = await doitAgent(testApp);
  const agency = await buildAgency(testApp.db, { slug: 'so-ngoai-vu', name: 'Sở Ngoại vụ' });
  const { dataset } = await buildDataset(testApp.db, testApp.storage, { agency });
  await doit.post(`/admin/agencies/${agency.id}/deactivate`);
  const page = await testApp.app.inject({ method: 'GET', url: `/dataset/${dataset.slug}` });
  for (const href of new Set([...page.body.matchAll(/href="(\/organization\/[^"]+)"/g)].map((match) => match[1]))) {
    const target = await testApp.app.inject({ method: 'GET', url: href });
    assert.notEqual(target.statusCode, 404, `the dataset page links to ${href}, which answers 404`);
  }
});

test('a duplicate slug is refused with a sentence on the slug field, whether typed or derived from the name', async (t) => {
  const testApp = await buildTestApp(t);
  const { doit } = await doitAgent(testApp);
  const taken = await buildAgency(testApp.db, { name: 'Sở Y tế', slug: 'so-y-te' });
  const other = await buildAgency(testApp.db, { name: 'Sở Tư pháp', slug: 'so-tu-phap' });
  const before = await countRows(testApp.db, 'agencies');
  const sentence = 'Định danh này đã được dùng cho cơ quan khác.';

  const typed = await doit.post('/admin/agencies', { name: 'Trung tâm Y tế tỉnh', kind: 'department', slug: 'so-y-te' });
  assert.equal(typed.statusCode, 422);
  assert.equal(fieldError(typed.body, 'slug'), sentence);
  assert.equal(unescapeHtml(inputValue(typed.body, 'name') ?? ''), 'Trung tâm Y tế tỉnh', 'the name is kept');

  const derived = await doit.post('/admin/agencies', { name: 'Sở Y Tế', kind: 'department' });
  assert.equal(derived.statusCode, 422);
  assert.equal(fieldError(derived.body, 'slug'), sentence);

  const edited = await doit.post(`/admin/agencies/${other.id}`, { name: 'Sở Tư pháp', kind: 'department', slug: taken.slug });
  assert.equal(edited.statusCode, 422);
  assert.equal(fieldError(edited.body, 'slug'), sentence);

  assert.equal(await countRows(testApp.db, 'agencies'), before);
  assert.equal((await auditRows(testApp.db)).length, 0);
});

test('a bad e-mail, website, phone or slug each gets its sentence next to the field, with the values kept', async (t) => {
  const testApp = await buildTestApp(t);
  const { doit } = await doitAgent(testApp);
  const response = await doit.post('/admin/agencies', {
    name: 'Sở Khoa học và Công nghệ',
    kind: 'department',
    slug: 'Sở KH&CN',
    email: 'khong-phai-dia-chi-thu',
    website: 'javascript:alert(1)',
    phone: 'gọi tôi',
  });
  assert.equal(response.statusCode, 422);
  assert.equal(fieldError(response.body, 'email'), 'Địa chỉ thư điện tử không hợp lệ.');
  assert.equal(fieldError(response.body, 'website'), 'Địa chỉ trang web phải bắt đầu bằng http:// hoặc https://.');
  assert.equal(fieldError(response.body, 'phone'), 'Số điện thoại chỉ gồm chữ số, khoảng trắng và các dấu + ( ) . -');
  assert.equal(fieldError(response.body, 'slug'), 'Chỉ dùng chữ thường không dấu, số và dấu gạch ngang.');
  assert.equal(unescapeHtml(inputValue(response.body, 'name') ?? ''), 'Sở Khoa học và Công nghệ');
  assert.equal(inputValue(response.body, 'email'), 'khong-phai-dia-chi-thu');
  assert.equal(await countRows(testApp.db, 'agencies'), 0);

  const ftp = await doit.post('/admin/agencies', { name: 'Sở Khoa học và Công nghệ', kind: 'department', website: 'ftp://skhcn.binhdinh.gov.vn' });
  assert.equal(fieldError(ftp.body, 'website'), 'Địa chỉ trang web phải bắt đầu bằng http:// hoặc https://.');
});

test('a name with no letter or digit to make a slug from is refused instead of saving an empty slug', async (t) => {
  const testApp = await buildTestApp(t);
  const { doit } = await doitAgent(testApp);
  const response = await doit.post('/admin/agencies', { name: '—…—', kind: 'department' });
  assert.equal(response.statusCode, 422);
  assert.equal(await countRows(testApp.db, 'agencies'), 0, 'an agency with an empty slug was saved');
});

test('there is no way to delete an agency', async (t) => {
  const testApp = await buildTestApp(t);
  const { doit } = await doitAgent(testApp);
  const agency = await buildAgency(testApp.db, { name: 'Sở Tài chính' });
  await buildDataset(testApp.db, testApp.storage, { agency });
  assert.equal((await doit.post(`/admin/agencies/${agency.id}/delete`)).statusCode, 404);
  const response = await testApp.app.inject({
    method: 'DELETE',
    url: `/admin/agencies/${agency.id}`,
    cookies: Object.fromEntries(doit.cookies),
    headers: { 'x-csrf-token': doit.csrfToken as string },
  });
  assert.equal(response.statusCode, 404);
  assert.doesNotMatch((await doit.get('/admin/agencies')).body, /\/delete"/);
  assert.equal(await countRows(testApp.db, 'agencies'), 1);
});

test('an unknown or malformed agency id answers 404 with a sentence', async (t) => {
  const testApp = await buildTestApp(t);
  const { doit } = await doitAgent(testApp);
  for (const url of ['/admin/agencies/khong-phai-uuid/edit', '/admin/agencies/00000000-0000-4000-8000-000000000000/edit']) {
    const response = await doit.get(url);
    assert.equal(response.statusCode, 404, url);
    assert.match(response.body, /Không tìm thấy cơ quan này\./, url);
  }
  assert.equal((await doit.post('/admin/agencies/00000000-0000-4000-8000-000000000000/deactivate')).statusCode, 404);
});
