import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { users } from '../../src/modules/accounts/accounts.table.ts';
import { buildTestApp } from '../helpers/app.ts';
import { launchBrowser, listen, skipWithoutChromium } from '../helpers/browser.ts';
import { buildUser, testPassword } from '../helpers/factories.ts';

test(
  'DOIT signs in, creates an agency with its officer and leader, signs out; the new officer signs in, must change the password, then reaches the dashboard',
  { skip: skipWithoutChromium },
  async (t) => {
    const testApp = await buildTestApp(t);
    const admin = await buildUser(testApp.db, { role: 'admin', email: 'quan-tri@stttt.binhdinh.gov.vn', displayName: 'Quản trị Sở' });
    const baseUrl = await listen(testApp);
    const browser = await launchBrowser(t);
    const page = await browser.newPage();
    const initialPassword = 'Mật-khẩu-ban-đầu-Sở-KHCN';
    const newPassword = 'Quy-Nhơn-biển-xanh-2025!';

    // DOIT signs in.
    await page.goto(`${baseUrl}/admin`);
    await page.waitForURL(/\/login\?next=%2Fadmin$/);
    await page.getByLabel('Thư điện tử').fill(admin.email);
    await page.getByLabel('Mật khẩu').fill(testPassword);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(`${baseUrl}/admin`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Tổng quan');

    // Creates an agency.
    await page.getByRole('navigation', { name: 'Mục quản trị' }).getByRole('link', { name: 'Cơ quan' }).click();
    await page.getByRole('link', { name: 'Thêm cơ quan' }).click();
    await page.getByLabel('Tên cơ quan').fill('Sở Khoa học và Công nghệ');
    await page.getByLabel('Loại cơ quan').selectOption({ label: 'Sở, ban, ngành' });
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(`${baseUrl}/admin/agencies`);
    assert.ok(await page.getByText('Đã thêm Sở Khoa học và Công nghệ.').isVisible());

    // Issues its officer and its leader.
    for (const account of [
      { email: 'can-bo@skhcn.binhdinh.gov.vn', name: 'Trần Văn Cán', role: 'Cán bộ đầu mối' },
      { email: 'lanh-dao@skhcn.binhdinh.gov.vn', name: 'Lê Thị Duyệt', role: 'Lãnh đạo duyệt' },
    ]) {
      await page.goto(`${baseUrl}/admin/accounts/new`);
      await page.getByLabel('Thư điện tử').fill(account.email);
      await page.getByLabel('Họ và tên người dùng').fill(account.name);
      await page.getByLabel('Vai trò').selectOption({ label: account.role });
      await page.getByLabel('Cơ quan').selectOption({ label: 'Sở Khoa học và Công nghệ' });
      await page.getByLabel('Mật khẩu ban đầu').fill(initialPassword);
      await page.getByRole('button', { name: 'Cấp tài khoản' }).click();
      await page.waitForURL(`${baseUrl}/admin/accounts`);
      assert.ok(await page.getByText(`Đã cấp tài khoản ${account.email}.`).isVisible(), account.email);
    }
    assert.equal(await page.getByRole('row').filter({ hasText: 'Sở Khoa học và Công nghệ' }).count(), 2);

    // Signs out.
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(`${baseUrl}/login`);
    assert.ok(await page.getByText('Bạn đã đăng xuất.').isVisible());

    // The new officer signs in and is sent to change the password.
    await page.getByLabel('Thư điện tử').fill('can-bo@skhcn.binhdinh.gov.vn');
    await page.getByLabel('Mật khẩu').fill(initialPassword);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(`${baseUrl}/account/password`);
    assert.ok(await page.getByText('Mật khẩu của bạn do Sở TT&TT cấp: hãy đặt mật khẩu mới trước khi tiếp tục.').first().isVisible());

    // Trying the dashboard first leads back to the password page.
    await page.goto(`${baseUrl}/admin`);
    await page.waitForURL(`${baseUrl}/account/password`);

    await page.getByLabel('Mật khẩu hiện tại').fill(initialPassword);
    await page.getByLabel(/^Mật khẩu mới/).fill(newPassword);
    await page.getByLabel('Nhập lại mật khẩu mới').fill(newPassword);
    await page.getByRole('button', { name: 'Lưu mật khẩu' }).click();
    await page.waitForURL(`${baseUrl}/admin`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Tổng quan');
    assert.ok(await page.getByText('Sở Khoa học và Công nghệ').first().isVisible(), 'the dashboard is the agency’s own');
    assert.equal(await page.getByRole('link', { name: 'Tài khoản', exact: true }).count(), 0, 'an officer sees no account management');

    const [officer] = await testApp.db.select().from(users).where(eq(users.email, 'can-bo@skhcn.binhdinh.gov.vn'));
    assert.equal(officer.mustChangePassword, false);
    assert.equal(officer.role, 'officer');
  },
);
