import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { feedback } from '../../src/modules/feedback/feedback.table.ts';
import { buildTestApp } from '../helpers/app.ts';
import { launchBrowser, listen, skipWithoutChromium } from '../helpers/browser.ts';
import { buildAgency, buildDataset, buildTopic, buildUser, testPassword } from '../helpers/factories.ts';
import { deliveredMail } from '../helpers/mail.ts';

test(
  'an anonymous visitor reports a format problem on a dataset; the officer answers; the answer appears publicly with the time it took',
  { skip: skipWithoutChromium },
  async (t) => {
    const testApp = await buildTestApp(t);
    const { db } = testApp;
    const agency = await buildAgency(db, { name: 'Sở Tài nguyên và Môi trường' });
    const topic = await buildTopic(db, { slug: 'moi-truong', nameVi: 'Tài nguyên và Môi trường', nameEn: 'Environment' });
    await buildDataset(db, testApp.storage, { agency, topic, slug: 'chat-luong-khong-khi', revision: { title: 'Chỉ số chất lượng không khí' }, files: [{ content: 'tram,aqi\nQuy Nhơn,42\n' }] });
    const officerUser = await buildUser(db, { role: 'officer', agency });
    const baseUrl = await listen(testApp);
    const browser = await launchBrowser(t);

    // The visitor, without an account, reports a format problem from the dataset's page.
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${baseUrl}/dataset/chat-luong-khong-khi`);
    const form = visitor.locator('form.feedback-form');
    await form.getByLabel('Loại góp ý').selectOption({ label: 'Định dạng dữ liệu' });
    await form.getByLabel('Tiêu đề').fill('Tệp CSV bị lỗi phông chữ');
    await form.getByLabel('Nội dung').fill('Khi mở bằng Excel, tên trạm bị lỗi dấu.\nĐề nghị thêm tệp XLSX.');
    await form.getByLabel('Thư điện tử').fill('lan.nguyen@example.com');
    const trap = await form.locator('input[name=website]').boundingBox();
    assert.ok(trap && trap.x + trap.width <= 0, 'the honeypot is out of sight');
    // A person reads before typing: the form is dated as if it had been opened a minute ago, so the
    // minimum fill time does not depend on how fast this machine types.
    await form.locator('input[name=stamp]').evaluate((input, value) => {
      (input as unknown as { value: string }).value = value;
    }, testApp.app.feedbackStamps.issue(Date.now() - 60_000));
    await form.getByRole('button', { name: 'Gửi góp ý' }).click();
    await visitor.waitForURL(/\/feedback\/[0-9a-f-]{36}$/);
    await visitor.getByText(/^Đã nhận góp ý số \d+\./).waitFor();
    const itemUrl = visitor.url();
    assert.ok(await visitor.getByText('Chưa có câu trả lời.').isVisible());

    // As if the feedback had arrived three days ago, so that the time it took is visible.
    const [item] = await db.select().from(feedback);
    await db.update(feedback).set({ receivedAt: new Date(item.receivedAt.getTime() - 3 * 86_400_000) }).where(eq(feedback.id, item.id));

    // The officer sees it in the back office and answers.
    const officer = await (await browser.newContext()).newPage();
    await officer.goto(`${baseUrl}/login`);
    await officer.getByLabel('Thư điện tử').fill(officerUser.email);
    await officer.getByLabel('Mật khẩu').fill(testPassword);
    await officer.getByRole('button', { name: 'Đăng nhập' }).click();
    await officer.waitForURL(`${baseUrl}/admin`);
    await officer.getByRole('navigation', { name: 'Mục quản trị' }).getByRole('link', { name: /^Góp ý/ }).click();
    await officer.getByRole('link', { name: /Tệp CSV bị lỗi phông chữ/ }).click();
    assert.ok(await officer.getByText('lan.nguyen@example.com').isVisible(), 'the officer can reply by mail');
    await officer.getByLabel('Câu trả lời').fill('Cảm ơn bạn. Sở đã bổ sung tệp XLSX có phông chữ Unicode.');
    await officer.getByRole('button', { name: 'Công khai câu trả lời' }).click();
    await officer.getByText('Đã công khai câu trả lời.').waitFor();

    // The answer is public, with the time it took, on the item's page and on the dataset's page.
    await visitor.goto(itemUrl);
    assert.ok(await visitor.getByText('Cảm ơn bạn. Sở đã bổ sung tệp XLSX có phông chữ Unicode.').isVisible());
    assert.ok(await visitor.getByText('Đã trả lời sau 3 ngày').isVisible());
    await visitor.goto(`${baseUrl}/dataset/chat-luong-khong-khi`);
    const section = visitor.locator('section.feedback-section');
    assert.ok(await section.getByText('Cảm ơn bạn. Sở đã bổ sung tệp XLSX có phông chữ Unicode.').isVisible());
    assert.ok(await section.getByText('Đã trả lời sau 3 ngày').isVisible());
    assert.equal(await visitor.getByText('lan.nguyen@example.com').count(), 0, 'the address is never public');
    // The submitter was told by mail (queued with the answer; two mails in all, the agency's first).
    const sent = testApp.app.mailer.sent.length >= 2 ? testApp.app.mailer.sent : await deliveredMail(testApp.app, 2 - testApp.app.mailer.sent.length);
    assert.ok(sent.some((mail) => (mail.to as string[]).includes('lan.nguyen@example.com')));
  },
);
