import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importCatalogueForYear } from '../../src/modules/catalogue/catalogue.service.ts';
import { vietnamDay } from '../../src/modules/catalogue/deadlines.ts';
import { launchBrowser, listen, signedIn, skipWithoutChromium } from '../helpers/browser.ts';
import { buildUser } from '../helpers/factories.ts';
import { binhDinhCsv, buildCatalogueWorld } from '../modules/catalogue/support.ts';

test('Art. 7.2 in a browser: an officer asks for a dataset the catalogue lacks, DOIT adds it, and the officer publishes against the new entry', { skip: skipWithoutChromium }, async (t) => {
  const world = await buildCatalogueWorld(t);
  const year = Number(vietnamDay(new Date()).slice(0, 4));
  await importCatalogueForYear(world.db, { year, fileName: 'a.csv', bytes: binhDinhCsv, approve: { decisionNumber: '1', decisionDate: `${year}-01-15`, signer: 'B' } });
  const officer = await buildUser(world.db, { role: 'officer', agency: world.officerAgency });
  const doit = await buildUser(world.db, { role: 'admin' });
  const baseUrl = await listen(world);
  const browser = await launchBrowser(t);
  const signIn = (email: string) => signedIn(browser, baseUrl, email);

  const asOfficer = await signIn(officer.email);
  await asOfficer.goto(`${baseUrl}/admin/datasets/new`);
  await asOfficer.getByRole('link', { name: 'Dữ liệu chưa có trong danh mục? Đề nghị bổ sung' }).click();
  await asOfficer.getByLabel('Tên dữ liệu').fill('Danh sách trung tâm ngoại ngữ, tin học');
  await asOfficer.getByLabel('Mô tả').fill('Tên, địa chỉ, giấy phép của các trung tâm ngoại ngữ, tin học.');
  await asOfficer.getByLabel('Lý do đề nghị').fill('Phụ huynh hỏi nhiều.');
  await asOfficer.getByLabel('Tần suất cung cấp').selectOption('half_yearly');
  await asOfficer.getByLabel('Nhóm chủ đề').selectOption({ index: 1 });
  await asOfficer.getByRole('button', { name: 'Gửi đề nghị' }).click();
  await asOfficer.waitForURL(/\/admin\/catalogue\/requests$/);
  assert.match((await asOfficer.locator('#requests-pending').textContent()) ?? '', /Danh sách trung tâm ngoại ngữ, tin học/);

  const asDoit = await signIn(doit.email);
  await asDoit.goto(`${baseUrl}/admin/catalogue`);
  await asDoit.getByRole('link', { name: /Đề nghị bổ sung \(1 chờ xử lý\)/ }).click();
  await asDoit.getByRole('link', { name: 'Danh sách trung tâm ngoại ngữ, tin học' }).click();
  await asDoit.getByRole('button', { name: 'Bổ sung vào danh mục' }).click();
  assert.match((await asDoit.locator('.alert').first().textContent()) ?? '', new RegExp(`Đã bổ sung vào danh mục ${year}, dòng số 168`));

  await asOfficer.reload();
  await asOfficer.locator('#requests-decided').getByRole('link', { name: 'Tạo tập dữ liệu' }).click();
  assert.equal(await asOfficer.getByLabel('Tên tập dữ liệu').inputValue(), 'Danh sách trung tâm ngoại ngữ, tin học');
});
