import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';
import { launchBrowser, listen, signedIn, skipWithoutChromium } from '../helpers/browser.ts';
import { submitForReview } from '../../src/modules/reviews/reviews.service.ts';
import { buildAgency, buildDataset, buildTopic, buildUser } from '../helpers/factories.ts';

test(
  'an officer publishes a CSV through the leader, who returns it once with a comment, and a visitor downloads it under its topic group',
  { skip: skipWithoutChromium },
  async (t) => {
    const testApp = await buildTestApp(t);
    const { db } = testApp;
    const agency = await buildAgency(db, { name: 'Sở Giáo dục và Đào tạo' });
    await buildTopic(db, { slug: 'giao-duc', nameVi: 'Giáo dục', nameEn: 'Education' });
    const officerUser = await buildUser(db, { role: 'officer', agency });
    const leaderUser = await buildUser(db, { role: 'leader', agency });
    const baseUrl = await listen(testApp);
    const browser = await launchBrowser(t);
    const csv = 'tên trường,huyện,số học sinh\nTHPT Quốc Học,Quy Nhơn,1200\nTHPT An Nhơn 1,An Nhơn,950\n';

    // The officer creates the dataset and uploads its CSV.
    const officer = await signedIn(browser, baseUrl, officerUser.email, { acceptDownloads: true });
    await officer.goto(`${baseUrl}/admin/datasets/new`);
    await officer.getByLabel('Tên tập dữ liệu').fill('Danh sách trường THPT');
    await officer.getByLabel('Mô tả').fill('Danh sách các trường trung học phổ thông trên địa bàn tỉnh, cập nhật hằng năm.');
    await officer.getByLabel('Nhóm chủ đề').selectOption({ label: 'Giáo dục' });
    await officer.getByRole('button', { name: 'Lưu bản nháp' }).click();
    await officer.waitForURL(/\/admin\/datasets\/[0-9a-f-]{36}$/);
    const workspaceUrl = officer.url();
    await officer.locator('input[type=file][name=file]').setInputFiles({ name: 'truong-thpt.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await officer.getByRole('button', { name: 'Tải lên' }).click();
    await officer.getByRole('cell', { name: 'THPT Quốc Học' }).waitFor();
    await officer.getByRole('button', { name: 'Gửi lãnh đạo duyệt' }).click();
    await officer.getByText('Đã gửi lãnh đạo duyệt.').waitFor();

    // The leader returns it with a comment.
    const leader = await signedIn(browser, baseUrl, leaderUser.email, { acceptDownloads: true });
    await leader.goto(`${baseUrl}/admin/inbox`);
    await leader.getByRole('link', { name: 'Danh sách trường THPT' }).click();
    // Scoped to the return form: its label points at the approval form's box (see the test below).
    await leader.locator('form[action$="/return"] textarea[name=comment]').fill('Ghi rõ năm học trong tên tập dữ liệu.');
    await leader.getByRole('button', { name: 'Trả lại cán bộ' }).click();
    await leader.waitForURL(/\/admin\/inbox$/);

    // The officer reads the comment, fixes the title and sends it again.
    await officer.goto(`${baseUrl}/admin/inbox`);
    await officer.getByText('Ghi rõ năm học trong tên tập dữ liệu.').waitFor();
    await officer.goto(workspaceUrl);
    await officer.getByRole('link', { name: 'Sửa thông tin tập dữ liệu' }).click();
    await officer.getByLabel('Tên tập dữ liệu').fill('Danh sách trường THPT năm học 2024–2025');
    await officer.getByRole('button', { name: 'Lưu bản nháp' }).click();
    await officer.waitForURL(workspaceUrl);
    await officer.getByRole('button', { name: 'Gửi lãnh đạo duyệt' }).click();
    await officer.getByText('Đã gửi lãnh đạo duyệt.').waitFor();

    // The leader approves.
    await leader.goto(`${baseUrl}/admin/inbox`);
    await leader.getByRole('link', { name: 'Danh sách trường THPT năm học 2024–2025' }).click();
    await leader.getByRole('button', { name: 'Phê duyệt và công bố' }).click();
    await leader.waitForURL(/\/admin\/inbox$/);

    // An anonymous visitor finds it under its topic group and downloads it.
    const visitor = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await visitor.goto(baseUrl);
    await visitor.getByRole('link', { name: /Giáo dục/ }).first().click();
    await visitor.waitForURL(/\/group\/giao-duc$/);
    await visitor.getByRole('link', { name: 'Danh sách trường THPT năm học 2024–2025' }).click();
    assert.equal(await visitor.getByRole('heading', { level: 1 }).textContent(), 'Danh sách trường THPT năm học 2024–2025');
    const [download] = await Promise.all([visitor.waitForEvent('download'), visitor.getByRole('link', { name: 'Tải về' }).click()]);
    assert.equal(download.suggestedFilename(), 'truong-thpt.csv');
    assert.equal(await readFile(await download.path(), 'utf8'), `\uFEFF${csv}`, 'the main download carries the BOM Excel needs');
  },
);

test('the leader’s comment box for a return is the one its label names', { skip: skipWithoutChromium }, async (t) => {
  const testApp = await buildTestApp(t);
  const { db } = testApp;
  const agency = await buildAgency(db);
  const topic = await buildTopic(db);
  const officerUser = await buildUser(db, { role: 'officer', agency });
  const leaderUser = await buildUser(db, { role: 'leader', agency });
  const { dataset } = await buildDataset(db, testApp.storage, { agency, topic, published: false, files: [{ content: 'a,b\n1,2\n' }] });
  await submitForReview(db, { id: officerUser.id, email: officerUser.email, role: 'officer', agencyId: agency.id, ip: null }, dataset.id);
  const baseUrl = await listen(testApp);
  const browser = await launchBrowser(t);
  const leader = await signedIn(browser, baseUrl, leaderUser.email, { acceptDownloads: true });
  await leader.goto(`${baseUrl}/admin/datasets/${dataset.id}/review`);

  // Both forms of the review page have a field named "comment"; a person clicks the label and types,
  // and the text must land in the return form.
  await leader.getByText('Ý kiến chỉ đạo khi trả lại').click();
  await leader.keyboard.type('Bổ sung nguồn số liệu.');
  const inReturnForm = await leader.locator('form[action$="/return"] textarea[name=comment]').inputValue();
  const inApproveForm = await leader.locator('form[action$="/approve"] textarea[name=comment]').inputValue();
  assert.deepEqual({ inReturnForm, inApproveForm }, { inReturnForm: 'Bổ sung nguồn số liệu.', inApproveForm: '' });
});
