import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { buildUser } from '../../helpers/factories.ts';
import { agentFor, auditRows, countRows, fieldError, inputValue, settingsForm, unescapeHtml } from '../accounts/support.ts';

/*
 * DOIT changes what the portal says about itself without a release (MISSION: legal references are
 * content, not code): the title, the terms, the targets, the 1+1 rule.
 */

test('DOIT changes the portal title and the public home page shows it at once', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const doit = await agentFor(testApp, admin);
  const form = await doit.get('/admin/settings');
  assert.equal(form.statusCode, 200);
  assert.equal(unescapeHtml(inputValue(form.body, 'portalTitleVi') ?? ''), 'Cổng dữ liệu mở tỉnh Bình Định', 'the form shows the current value');

  const response = await doit.post('/admin/settings', settingsForm({ portalTitleVi: 'Cổng dữ liệu mở tỉnh Sơn La', portalTitleEn: 'Sơn La Open Data Portal' }));
  assert.equal(response.statusCode, 302);
  assert.equal(response.headers.location, '/admin/settings');
  assert.match((await doit.get('/admin/settings')).body, /Đã lưu cài đặt\./);

  const home = await testApp.app.inject({ method: 'GET', url: '/' });
  assert.match(home.body, /<h1 class="hero__title">Cổng dữ liệu mở tỉnh Sơn La<\/h1>/);
  assert.doesNotMatch(home.body, /Cổng dữ liệu mở tỉnh Bình Định/);
  const english = await testApp.app.inject({ method: 'GET', url: '/?lang=en' });
  assert.match(english.body, /Sơn La Open Data Portal/);

  const [row] = await auditRows(testApp.db);
  assert.equal(row.action, 'settings.update');
  assert.deepEqual(Object.keys((row.details as { changed: object }).changed).sort(), ['portalTitleEn', 'portalTitleVi']);
});

test('saving the settings unchanged writes nothing', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const doit = await agentFor(testApp, admin);
  assert.equal((await doit.post('/admin/settings', settingsForm())).statusCode, 302);
  assert.equal((await auditRows(testApp.db)).length, 0);
});

test('an empty title or a target of 150% re-renders the settings with the error next to the field and the other values kept', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const doit = await agentFor(testApp, admin);
  const response = await doit.post('/admin/settings', settingsForm({ portalTitleVi: '   ', graceDaysQuarterly: 150, provinceName: 'Sơn La' }));
  assert.equal(response.statusCode, 422);
  assert.equal(fieldError(response.body, 'portalTitleVi'), 'Vui lòng điền mục này.');
  assert.equal(fieldError(response.body, 'graceDaysQuarterly'), 'Nhập một số ngày từ 1 đến 90: hạn cập nhật không thể dài hơn một quý.');
  assert.equal(unescapeHtml(inputValue(response.body, 'provinceName') ?? ''), 'Sơn La', 'other values kept');
  assert.equal(inputValue(response.body, 'graceDaysQuarterly'), '150', 'the wrong value is shown to be corrected');

  const negative = await doit.post('/admin/settings', settingsForm({ graceDaysQuarterly: -5 }));
  assert.equal(fieldError(negative.body, 'graceDaysQuarterly'), 'Nhập một số ngày từ 1 đến 90: hạn cập nhật không thể dài hơn một quý.');
  const notNumber = await doit.post('/admin/settings', settingsForm({ graceDaysQuarterly: 'chín mươi' }));
  assert.equal(notNumber.statusCode, 422);
  assert.equal(fieldError(notNumber.body, 'graceDaysQuarterly'), 'Vui lòng nhập một số nguyên.');

  assert.equal(await countRows(testApp.db, 'settings'), 0, 'an invalid form saved something');
  assert.equal((await testApp.app.settings.site()).portalTitleVi, 'Cổng dữ liệu mở tỉnh Bình Định');
});

test('a contact e-mail that is not an address is refused', async (t) => {
  const testApp = await buildTestApp(t);
  const admin = await buildUser(testApp.db, { role: 'admin' });
  const doit = await agentFor(testApp, admin);
  const response = await doit.post('/admin/settings', settingsForm({ operatorEmail: 'không phải địa chỉ thư' }));
  assert.equal(response.statusCode, 422);
  assert.equal(fieldError(response.body, 'operatorEmail'), 'Địa chỉ thư điện tử không hợp lệ.');
});
