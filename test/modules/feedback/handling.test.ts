import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deadlineRuleFrom } from '../../../src/modules/feedback/feedback.deadline.ts';
import { deliveredMail } from '../../helpers/mail.ts';
import { submitFeedback } from '../../../src/modules/feedback/feedback.service.ts';
import { siteSettingDefaults } from '../../../src/modules/settings/settings.defaults.ts';
import { settingsForm } from '../accounts/support.ts';
import { answersOf, auditOf, buildFeedbackWorld, feedbackRow, fieldError, flashText, formError, pageText, sendFeedback } from './support.ts';

/*
 * The agency's side (782 Art. 9.2): the holder answers publicly within the deadline, closes or
 * forwards; DOIT reassigns and moderates. Every refusal leaves the feedback as it was.
 */

const answer = 'Cảm ơn bạn. Sở đã bổ sung tệp XLSX có phông chữ Unicode cho tập dữ liệu này.';

test('public visibility of answers: the officer’s answer is published on the item page, the dataset page and the list, with the time it took', async (t) => {
  const w = await buildFeedbackWorld(t);
  const { id } = await sendFeedback(w.visitor, { datasetId: w.dataset.id });
  const before = pageText((await w.visitor.get(`/feedback/${id}`)).body);
  assert.match(before, /Chưa có câu trả lời\./);
  assert.match(before, /Hạn trả lời: /);

  await w.officerA.get(`/admin/feedback/${id}`);
  const response = await w.officerA.post(`/admin/feedback/${id}/answer`, { body: answer });
  assert.equal(response.statusCode, 302);
  assert.equal(flashText((await w.officerA.get(`/admin/feedback/${id}`)).body), 'Đã công khai câu trả lời.');

  for (const url of [`/feedback/${id}`, '/dataset/chat-luong-khong-khi']) {
    const text = pageText((await w.visitor.get(url)).body);
    assert.match(text, /Trả lời của Sở Tài nguyên và Môi trường/, url);
    assert.ok(text.includes(answer), `${url} shows the answer`);
    assert.match(text, /Đã trả lời trong ngày/, `${url} shows the time it took`);
  }
  assert.match(pageText((await w.visitor.get('/feedback?status=answered')).body), /Tệp CSV bị lỗi phông chữ.*Đã trả lời trong ngày/);
  assert.match(pageText((await w.visitor.get(`/feedback/${id}?lang=en`)).body), /Answer from Sở Tài nguyên và Môi trường .* Answered the same day|Answered the same day/);
  const row = await feedbackRow(w.db, id);
  assert.equal(row.status, 'answered');
  assert.ok(row.answeredAt);
});

test('privacy of the submitter’s e-mail: name and address are in the back office only, never on a public page or in JSON', async (t) => {
  const w = await buildFeedbackWorld(t);
  const { id } = await sendFeedback(w.visitor, { datasetId: w.dataset.id, name: 'Trần Văn Bí Mật', email: 'bi.mat@example.com' });
  await w.officerA.get(`/admin/feedback/${id}`);
  await w.officerA.post(`/admin/feedback/${id}/answer`, { body: answer });
  const publicUrls = [`/feedback/${id}`, `/feedback/${id}?lang=en`, '/feedback', '/feedback?lang=en', '/dataset/chat-luong-khong-khi', '/feedback/new?dataset=chat-luong-khong-khi', '/sitemap.xml', '/'];
  for (const url of publicUrls) {
    for (const accept of ['text/html', 'application/json']) {
      const response = await w.app.inject({ method: 'GET', url, headers: { accept } });
      assert.ok(response.statusCode < 500, `${url} ${accept}`);
      assert.ok(!response.body.includes('bi.mat@example.com') && !response.body.includes('Bí Mật'), `${url} (${accept}) shows the submitter`);
    }
  }
  const office = await w.officerA.get(`/admin/feedback/${id}`);
  assert.match(office.body, /bi\.mat@example\.com/);
  assert.match(office.body, /Trần Văn Bí Mật/);
  assert.equal((await w.visitor.get(`/admin/feedback/${id}`)).statusCode, 302, 'anonymous visitors are sent to sign in');
});

test('another agency refused: an officer or leader of agency B cannot read, answer, close or forward agency A’s feedback', async (t) => {
  const w = await buildFeedbackWorld(t);
  const { id } = await sendFeedback(w.visitor, { datasetId: w.dataset.id });
  const before = await feedbackRow(w.db, id);
  assert.equal((await w.officerB.get(`/admin/feedback/${id}`)).statusCode, 403);
  for (const [path, form] of [
    ['answer', { body: 'Tôi trả lời thay cơ quan khác.' }],
    ['close', { outcome: 'declined', reason: 'Không thuộc thẩm quyền.' }],
    ['forward', { note: 'Chuyển đi nơi khác.' }],
    ['link', { dataset: 'chat-luong-khong-khi' }],
    ['reassign', { agencyId: w.agencyB.id }],
    ['hide', { hideReason: 'Tin rác.' }],
  ] as const) {
    const response = await w.officerB.post(`/admin/feedback/${id}/${path}`, form);
    assert.equal(response.statusCode, 403, path);
    assert.match(response.body, /Bạn không có quyền thực hiện thao tác này/, path);
  }
  // The holding agency may not reassign or hide either: that is DOIT's.
  assert.equal((await w.officerA.post(`/admin/feedback/${id}/reassign`, { agencyId: w.agencyB.id })).statusCode, 403);
  assert.equal((await w.leaderA.post(`/admin/feedback/${id}/hide`, { hideReason: 'Tin rác quảng cáo.' })).statusCode, 403);
  assert.deepEqual(await feedbackRow(w.db, id), before);
  assert.deepEqual(await answersOf(w.db, id), []);
  assert.deepEqual(await auditOf(w.db, id), []);
});

test('answering twice edits the public answer and keeps the history', async (t) => {
  const w = await buildFeedbackWorld(t);
  const { id } = await sendFeedback(w.visitor, { datasetId: w.dataset.id });
  await w.officerA.get(`/admin/feedback/${id}`);
  await w.officerA.post(`/admin/feedback/${id}/answer`, { body: 'Chúng tôi sẽ bổ sung tệp XLSX trong tuần này.' });
  const firstAnsweredAt = (await feedbackRow(w.db, id)).answeredAt;
  const second = await w.leaderA.post(`/admin/feedback/${id}/answer`, { body: answer });
  assert.equal(second.statusCode, 302);
  assert.equal(flashText((await w.leaderA.get(`/admin/feedback/${id}`)).body), 'Đã lưu câu trả lời đã sửa; bản trước vẫn trong lịch sử.');

  const versions = await answersOf(w.db, id);
  assert.deepEqual(versions.map((row) => [row.version, row.body]), [[1, 'Chúng tôi sẽ bổ sung tệp XLSX trong tuần này.'], [2, answer]]);
  assert.deepEqual((await feedbackRow(w.db, id)).answeredAt, firstAnsweredAt, 'the clock stopped at the first answer');
  const publicText = pageText((await w.visitor.get(`/feedback/${id}`)).body);
  assert.ok(publicText.includes(answer));
  assert.ok(!publicText.includes('trong tuần này'), 'the public sees the latest answer only');
  assert.match(publicText, /câu trả lời đã được chỉnh sửa/);
  const office = pageText((await w.officerA.get(`/admin/feedback/${id}`)).body);
  assert.match(office, /Lịch sử câu trả lời.*Bản 1.*trong tuần này.*Bản 2/);
  assert.deepEqual((await auditOf(w.db, id)).map((row) => [row.action, (row.details as { version: number }).version]), [['feedback.answer', 1], ['feedback.answer', 2]]);

  const empty = await w.officerA.post(`/admin/feedback/${id}/answer`, { body: '  ' });
  assert.equal(empty.statusCode, 422);
  assert.equal(fieldError(empty.body, 'body'), 'Vui lòng ghi câu trả lời (ít nhất 10 ký tự).');
  assert.equal((await answersOf(w.db, id)).length, 2);
});

test('the agency declines with a public reason, or forwards to DOIT, who reassigns to another agency', async (t) => {
  const w = await buildFeedbackWorld(t);
  const declined = await sendFeedback(w.visitor, { datasetId: w.dataset.id, kind: 'legal', title: 'Dữ liệu vi phạm bản quyền' });
  await w.officerA.get(`/admin/feedback/${declined.id}`);
  const noReason = await w.officerA.post(`/admin/feedback/${declined.id}/close`, { outcome: 'declined', reason: '' });
  assert.equal(fieldError(noReason.body, 'reason'), 'Vui lòng ghi lý do (ít nhất 5 ký tự).');
  await w.officerA.post(`/admin/feedback/${declined.id}/close`, { outcome: 'declined', reason: 'Dữ liệu do Sở tự thu thập, không vi phạm bản quyền.' });
  const text = pageText((await w.visitor.get(`/feedback/${declined.id}`)).body);
  assert.match(text, /Từ chối .*Lý do từ chối Dữ liệu do Sở tự thu thập, không vi phạm bản quyền\./);
  assert.match(text, /Đã trả lời trong ngày/, 'a reason to decline is a public response: the clock stops');
  const again = await w.officerA.post(`/admin/feedback/${declined.id}/close`, { outcome: 'resolved', reason: 'Đóng lại lần nữa.' });
  assert.equal(formError(again.body), 'Góp ý này đã kết thúc xử lý.');

  const forwarded = await sendFeedback(w.visitor, { datasetId: w.dataset.id, kind: 'data_request', title: 'Cần số liệu bệnh viện' });
  const response = await w.officerA.post(`/admin/feedback/${forwarded.id}/forward`, { note: 'Số liệu này do Sở Y tế quản lý.' });
  assert.equal(response.headers.location, '/admin/feedback');
  assert.equal((await feedbackRow(w.db, forwarded.id)).agencyId, null);
  assert.equal((await w.officerA.get(`/admin/feedback/${forwarded.id}`)).statusCode, 403, 'the agency no longer holds it');
  const atDoit = await w.admin.get(`/admin/feedback/${forwarded.id}`);
  assert.match(pageText(atDoit.body), /Số liệu này do Sở Y tế quản lý\./);
  assert.equal((await w.admin.post(`/admin/feedback/${forwarded.id}/reassign`, { agencyId: w.agencyB.id })).statusCode, 302);
  assert.equal((await feedbackRow(w.db, forwarded.id)).agencyId, w.agencyB.id);
  assert.match((await w.officerB.get('/admin/feedback')).body, /Cần số liệu bệnh viện/);
});

test('DOIT reassign and hide: both leave an audit row, hidden feedback leaves every public list, and its reason is kept', async (t) => {
  const w = await buildFeedbackWorld(t);
  const general = await sendFeedback(w.visitor, { kind: 'data_request', title: 'Đề nghị công bố danh sách nhà thuốc', agencyId: '' });
  const spam = await sendFeedback(w.visitor, { datasetId: w.dataset.id, title: 'Mua bán số điện thoại giá rẻ', message: 'Liên hệ 0912 345 678 để mua danh sách khách hàng.' });

  await w.admin.get(`/admin/feedback/${general.id}`);
  const badAgency = await w.admin.post(`/admin/feedback/${general.id}/reassign`, { agencyId: '' });
  assert.equal(fieldError(badAgency.body, 'agencyId'), 'Vui lòng chọn cơ quan.');
  assert.equal((await w.admin.post(`/admin/feedback/${general.id}/reassign`, { agencyId: w.agencyB.id })).statusCode, 302);
  const [reassign] = await auditOf(w.db, general.id);
  assert.equal(reassign.action, 'feedback.reassign');
  assert.deepEqual(reassign.details, { fromAgencyId: null, toAgencyId: w.agencyB.id });
  assert.equal(reassign.actorEmail, 'quan-tri@example.gov.vn');

  const noReason = await w.admin.post(`/admin/feedback/${spam.id}/hide`, { hideReason: '' });
  assert.equal(fieldError(noReason.body, 'hideReason'), 'Vui lòng ghi lý do (ít nhất 5 ký tự).');
  assert.equal((await w.admin.post(`/admin/feedback/${spam.id}/hide`, { hideReason: 'Tin rác, có số điện thoại cá nhân.' })).statusCode, 302);
  const [hide] = await auditOf(w.db, spam.id);
  assert.equal(hide.action, 'feedback.hide');
  assert.deepEqual(hide.details, { reason: 'Tin rác, có số điện thoại cá nhân.' });

  assert.equal((await w.visitor.get(`/feedback/${spam.id}`)).statusCode, 404);
  for (const url of ['/feedback', '/feedback?status=open', '/dataset/chat-luong-khong-khi']) {
    assert.doesNotMatch((await w.visitor.get(url)).body, /Mua bán số điện thoại|0912 345 678/, url);
  }
  assert.match((await w.visitor.get('/feedback')).body, /Đề nghị công bố danh sách nhà thuốc/);
  assert.doesNotMatch((await w.officerA.get('/admin/feedback')).body, /Mua bán số điện thoại/, 'hidden feedback leaves the agency’s inbox too');
  assert.match(pageText((await w.admin.get('/admin/feedback?status=hidden&scope=all')).body), /Mua bán số điện thoại/);
  assert.equal((await w.officerA.post(`/admin/feedback/${spam.id}/answer`, { body: 'Trả lời một tin đã bị ẩn.' })).statusCode, 409);

  assert.equal((await w.admin.post(`/admin/feedback/${spam.id}/unhide`)).statusCode, 302);
  assert.equal((await w.visitor.get(`/feedback/${spam.id}`)).statusCode, 200);
  assert.deepEqual((await auditOf(w.db, spam.id)).map((row) => row.action), ['feedback.hide', 'feedback.unhide']);
});

test('a data request links to the dataset that later answers it, and the public request shows the link', async (t) => {
  const w = await buildFeedbackWorld(t);
  const request = await sendFeedback(w.visitor, { kind: 'data_request', title: 'Đề nghị công bố chỉ số không khí', agencyId: w.agencyA.id });
  await w.officerA.get(`/admin/feedback/${request.id}`);
  const unknown = await w.officerA.post(`/admin/feedback/${request.id}/link`, { dataset: 'khong-co-tap-nay' });
  assert.equal(fieldError(unknown.body, 'dataset'), 'Không tìm thấy tập dữ liệu này trên Cổng.');
  const linked = await w.officerA.post(`/admin/feedback/${request.id}/link`, { dataset: 'https://du-lieu.example.gov.vn/dataset/chat-luong-khong-khi?lang=en' });
  assert.equal(linked.statusCode, 302);
  const page = await w.visitor.get(`/feedback/${request.id}`);
  assert.match(page.body, /Dữ liệu đáp ứng yêu cầu này: <a href="\/dataset\/chat-luong-khong-khi">Chỉ số chất lượng không khí<\/a>/);
  const problem = await sendFeedback(w.visitor, { datasetId: w.dataset.id });
  const refused = await w.officerA.post(`/admin/feedback/${problem.id}/link`, { dataset: 'chat-luong-khong-khi' });
  assert.equal(formError(refused.body), 'Chỉ đề nghị công bố dữ liệu mới liên kết được với tập dữ liệu.');
});

test('overdue marking: feedback past its due day is marked in the inbox, the nav count, DOIT’s dashboard and the public list', async (t) => {
  const w = await buildFeedbackWorld(t);
  const rule = deadlineRuleFrom(siteSettingDefaults);
  const input = { kind: 'quality' as const, message: 'Số liệu tháng 3 bị trùng lặp với tháng 2.', name: '', email: '', datasetId: w.dataset.id, agencyId: null, topicId: null };
  const old = await submitFeedback(w.db, { ...input, title: 'Số liệu bị trùng lặp' }, { rule, locale: 'vi', now: new Date(Date.now() - 15 * 86_400_000) });
  const lateAnswered = await submitFeedback(w.db, { ...input, title: 'Thiếu số liệu tháng 4' }, { rule, locale: 'vi', now: new Date(Date.now() - 14 * 86_400_000) });
  await sendFeedback(w.visitor, { datasetId: w.dataset.id, title: 'Góp ý còn trong hạn' });
  await w.officerA.get(`/admin/feedback/${lateAnswered.id}`);
  await w.officerA.post(`/admin/feedback/${lateAnswered.id}/answer`, { body: 'Đã bổ sung số liệu tháng 4.' });

  const inbox = await w.officerA.get('/admin/feedback');
  assert.match(inbox.body, /<span class="count">2<\/span>/, 'the nav counts what waits for an answer');
  const overdueRows = [...inbox.body.matchAll(/<tr class="feedback-row--overdue">[\s\S]*?<\/tr>/g)].map((m) => pageText(m[0]));
  assert.equal(overdueRows.length, 1);
  assert.match(overdueRows[0], /Số liệu bị trùng lặp .*Quá hạn Quá hạn 5 ngày/);
  assert.match(pageText((await w.officerA.get('/admin/feedback?status=overdue')).body), /Số liệu bị trùng lặp/);

  const dashboard = pageText((await w.admin.get('/admin')).body);
  assert.match(dashboard, /Góp ý quá hạn trả lời: 1/);
  assert.match(dashboard, /Sở Tài nguyên và Môi trường 2 1/);

  const list = pageText((await w.visitor.get('/feedback')).body);
  assert.match(list, /Số liệu bị trùng lặp .*Quá hạn Quá hạn 5 ngày \(hạn .+\), chưa có trả lời/);
  assert.match(list, /Thiếu số liệu tháng 4 .*Quá hạn Đã trả lời sau 14 ngày \(chậm 4 ngày\)/);
  assert.match(list, /Góp ý còn trong hạn .*Hạn trả lời: /);
  assert.match(pageText((await w.visitor.get('/feedback?status=overdue')).body), /1 góp ý/);
  assert.equal((await feedbackRow(w.db, old.id)).status, 'open');
});

test('DOIT changes the deadline to five working days in the settings, and new feedback is due accordingly', async (t) => {
  const w = await buildFeedbackWorld(t);
  const refused = await w.admin.post('/admin/settings', settingsForm({ feedbackDeadlineDays: 61, publicHolidays: '2026-02-30', graceDaysQuarterly: 91 }));
  assert.equal(refused.statusCode, 422);
  assert.equal(fieldError(refused.body, 'feedbackDeadlineDays'), 'Nhập một số ngày từ 1 đến 60.');
  assert.equal(fieldError(refused.body, 'publicHolidays'), 'Ghi mỗi ngày theo dạng NNNN-TT-NN (ví dụ 2026-09-02), cách nhau bằng dấu phẩy.');
  assert.equal(fieldError(refused.body, 'graceDaysQuarterly'), 'Nhập một số ngày từ 1 đến 90: hạn cập nhật không thể dài hơn một quý.', 'the update window keeps its own range');
  assert.equal(fieldError((await w.admin.post('/admin/settings', settingsForm({ feedbackDeadlineDays: 0 }))).body, 'feedbackDeadlineDays'), 'Nhập một số ngày từ 1 đến 60.');
  assert.equal((await w.admin.post('/admin/settings', settingsForm({ publicHolidays: '' }))).statusCode, 302, 'an empty holiday list is allowed');

  const saved = await w.admin.post('/admin/settings', settingsForm({ feedbackDeadlineDays: 5, feedbackWorkingDays: true, publicHolidays: '2026-04-27, 2026-04-30, 2026-05-01' }));
  assert.equal(saved.statusCode, 302);
  const site = await w.app.settings.site();
  assert.deepEqual([site.feedbackDeadlineDays, site.feedbackWorkingDays], [5, true]);
  assert.match(pageText((await w.visitor.get('/feedback/new')).body), /chậm nhất 5 ngày làm việc sau khi nhận góp ý/);

  // Friday 24 April 2026: Tue 28, Wed 29, Mon 4, Tue 5, Wed 6 May.
  const item = await submitFeedback(
    w.db,
    { kind: 'other', title: 'Góp ý thử thời hạn', message: 'Nội dung góp ý thử thời hạn.', name: '', email: '', datasetId: null, agencyId: null, topicId: null },
    { rule: deadlineRuleFrom(site), locale: 'vi', now: new Date('2026-04-24T09:00:00+07:00') },
  );
  assert.equal(item.dueOn, '2026-05-06');
});

test('mail to the submitter when the answer is published (once), and to the agency’s accounts when feedback arrives', async (t) => {
  const w = await buildFeedbackWorld(t);
  const { id } = await sendFeedback(w.visitor, { datasetId: w.dataset.id, email: 'Lan.Nguyen@Example.com' });
  const arrival = (await deliveredMail(w.app, 1)).find((mail) => String(mail.subject).startsWith('Góp ý mới'));
  assert.ok(arrival, 'the agency was told');
  assert.deepEqual([...(arrival.to as string[])].sort(), ['can-bo-a@example.gov.vn', 'lanh-dao-a@example.gov.vn']);
  assert.match(arrival.text, new RegExp(`/admin/feedback/${id}`));

  await w.officerA.get(`/admin/feedback/${id}`);
  await w.officerA.post(`/admin/feedback/${id}/answer`, { body: answer });
  await w.officerA.post(`/admin/feedback/${id}/answer`, { body: `${answer} (đã sửa)` });
  const toSubmitter = (await deliveredMail(w.app, 1)).filter((mail) => (mail.to as string[]).includes('lan.nguyen@example.com'));
  assert.equal(toSubmitter.length, 1, 'told once, when the answer is first published');
  assert.match(toSubmitter[0].subject, /^Đã có câu trả lời cho góp ý số \d+: Tệp CSV bị lỗi phông chữ$/);
  assert.match(toSubmitter[0].text, /Kính gửi Nguyễn Thị Lan,/);
  assert.match(toSubmitter[0].text, new RegExp(`/feedback/${id}`));

  // In English for a visitor who wrote in English; nothing for one who left no address.
  const english = new (await import('../../helpers/agent.ts')).Agent(w.app, '203.0.113.9');
  await english.get('/feedback/new?lang=en');
  const second = await sendFeedback(english, { datasetId: w.dataset.id, email: 'john@example.com', name: '' });
  const anonymous = await sendFeedback(w.visitor, { datasetId: w.dataset.id, email: '', name: '' });
  for (const item of [second.id, anonymous.id]) {
    await w.officerA.get(`/admin/feedback/${item}`);
    await w.officerA.post(`/admin/feedback/${item}/close`, { outcome: 'resolved', reason: 'Đã bổ sung tệp XLSX.' });
  }
  // Two arrivals (to the agency) and one answer to John: the visitor without an address gets nothing.
  const toJohn = (await deliveredMail(w.app, 3)).filter((mail) => (mail.to as string[]).includes('john@example.com'));
  assert.equal(toJohn.length, 1);
  assert.match(toJohn[0].subject, /^Your feedback no\. \d+ has an answer/);
  assert.match(toJohn[0].text, /^Dear Sir or Madam,/);
  const submitterMails = w.app.mailer.sent.filter((mail) => !String(mail.subject).startsWith('Góp ý mới'));
  assert.equal(submitterMails.length, 2, 'no mail without an address');
});
