import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent } from '../../helpers/agent.ts';
import { buildFeedbackWorld, feedbackRow, feedbackRows, fieldError, flashText, formError, pageText, sendFeedback, shownValue } from './support.ts';

/*
 * The public side of issue 6: anyone sends feedback without an account (782 Art. 9.1), robots and
 * floods are stopped, mistakes come back as sentences next to the fields with the text kept.
 */

test('routing: feedback on a dataset goes to its agency, general feedback to the chosen agency or else to DOIT', async (t) => {
  const w = await buildFeedbackWorld(t);
  // About the dataset: the dataset's agency and topic group, whatever agency the form claims.
  const onDataset = await sendFeedback(w.visitor, { datasetId: w.dataset.id, agencyId: w.agencyB.id });
  assert.equal(onDataset.response.statusCode, 302);
  const first = await feedbackRow(w.db, onDataset.id);
  assert.deepEqual({ agency: first.agencyId, topic: first.topicId, dataset: first.datasetId }, { agency: w.agencyA.id, topic: w.topic.id, dataset: w.dataset.id });

  const chosen = await sendFeedback(w.visitor, { kind: 'data_request', title: 'Đề nghị công bố danh sách cơ sở y tế', agencyId: w.agencyB.id, topicId: w.topic.id });
  const second = await feedbackRow(w.db, chosen.id);
  assert.deepEqual({ agency: second.agencyId, topic: second.topicId, dataset: second.datasetId }, { agency: w.agencyB.id, topic: w.topic.id, dataset: null });

  const general = await sendFeedback(w.visitor, { kind: 'other', title: 'Cổng nên có bản đồ', agencyId: '' });
  assert.equal((await feedbackRow(w.db, general.id)).agencyId, null, 'no agency chosen: DOIT holds it');

  // The visitor lands on the item's page with a sentence giving the number and the due day.
  const page = await w.visitor.get(`/feedback/${onDataset.id}`);
  assert.equal(page.statusCode, 200);
  assert.match(flashText(page.body) ?? '', /^Đã nhận góp ý số \d+\. Cơ quan sẽ trả lời chậm nhất ngày .+\.$/);

  // Each holder's inbox lists only its own feedback.
  assert.match((await w.officerA.get('/admin/feedback')).body, /Tệp CSV bị lỗi phông chữ/);
  assert.doesNotMatch((await w.officerB.get('/admin/feedback')).body, /Tệp CSV bị lỗi phông chữ/);
  assert.match((await w.officerB.get('/admin/feedback')).body, /Đề nghị công bố danh sách cơ sở y tế/);
  const doitInbox = await w.admin.get('/admin/feedback');
  assert.match(doitInbox.body, /Cổng nên có bản đồ/);
  assert.doesNotMatch(doitInbox.body, /Tệp CSV bị lỗi phông chữ/, 'DOIT’s own inbox holds only what it holds');
  assert.match((await w.admin.get('/admin/feedback?scope=all')).body, /Tệp CSV bị lỗi phông chữ/);
});

test('the feedback form is on the dataset page and at /feedback/new, with the agency and topic choices only on the general one', async (t) => {
  const w = await buildFeedbackWorld(t);
  const datasetPage = await w.visitor.get('/dataset/chat-luong-khong-khi');
  assert.equal(datasetPage.statusCode, 200);
  assert.match(datasetPage.body, /<form class="form feedback-form" method="post" action="\/feedback"/);
  assert.match(datasetPage.body, new RegExp(`name="datasetId" value="${w.dataset.id}"`));
  assert.doesNotMatch(datasetPage.body, /name="agencyId"/);
  const general = await w.visitor.get('/feedback/new');
  assert.match(general.body, /<select id="field-agencyId" name="agencyId"/);
  assert.match(general.body, /<select id="field-topicId" name="topicId"/);
  assert.match(pageText(general.body), /chậm nhất 10 ngày sau khi nhận góp ý/, 'the deadline comes from the settings');
  const english = await w.visitor.get('/feedback/new?dataset=chat-luong-khong-khi&lang=en');
  assert.match(pageText(english.body), /About the dataset: Chỉ số chất lượng không khí/);
});

test('honeypot: a form with the hidden field filled is thanked and nothing is stored', async (t) => {
  const w = await buildFeedbackWorld(t);
  const { response } = await sendFeedback(w.visitor, { website: 'http://spam.example' });
  assert.equal(response.statusCode, 302);
  assert.equal(response.headers.location, '/feedback');
  assert.equal(flashText((await w.visitor.get('/feedback')).body), 'Đã nhận góp ý của bạn.');
  assert.equal((await feedbackRows(w.db)).length, 0);
  assert.equal(w.app.mailer.sent.length, 0, 'nobody was told about it');
});

test('minimum fill time: a form sent at once, or with a missing or forged time stamp, comes back with a sentence and the text kept', async (t) => {
  const w = await buildFeedbackWorld(t);
  const stamp = w.app.feedbackStamps.issue(Date.now() - 60_000);
  const [issuedAt, nonce, signature] = stamp.split('.');
  const forged = `${Number(issuedAt) - 1}.${nonce}.${signature}`;
  for (const [label, value] of [['just now', w.app.feedbackStamps.issue()], ['missing', ''], ['forged', forged], ['garbage', 'abc.def']] as const) {
    const { response } = await sendFeedback(w.visitor, { stamp: value });
    assert.equal(response.statusCode, 422, label);
    assert.equal(formError(response.body), 'Góp ý được gửi quá nhanh sau khi mở trang. Vui lòng kiểm tra lại nội dung rồi bấm gửi lần nữa.', label);
    assert.equal(shownValue(response.body, 'title'), 'Tệp CSV bị lỗi phông chữ', `${label}: the title is kept`);
    assert.match(shownValue(response.body, 'message') ?? '', /^Khi mở tệp bằng Excel/, `${label}: the message is kept`);
    assert.match(response.body, /name="stamp" value="\d{13}\.[\w-]{12}\.[\w-]{43}"/, `${label}: a fresh stamp to send again with`);
  }
  const expired = await sendFeedback(w.visitor, { stamp: w.app.feedbackStamps.issue(Date.now() - 25 * 3_600_000) });
  assert.equal(formError(expired.response.body), 'Trang góp ý đã mở quá lâu. Nội dung của bạn vẫn được giữ nguyên; vui lòng bấm gửi lần nữa.');
  assert.equal((await feedbackRows(w.db)).length, 0);
  // A patient visitor gets through.
  assert.equal((await sendFeedback(w.visitor)).response.statusCode, 302);
});

test('rate limit: a flood from one address gets 429 with a sentence, while another address still gets through', async (t) => {
  const w = await buildFeedbackWorld(t);
  const flooder = new Agent(w.app, '198.51.100.23');
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) statuses.push((await sendFeedback(flooder, { title: `Góp ý lặp lại số ${i}` })).response.statusCode);
  assert.deepEqual(statuses, [...Array(10).fill(302), 429]);
  const refused = await sendFeedback(flooder);
  assert.equal(refused.response.statusCode, 429);
  assert.match(pageText(refused.response.body), /Bạn đã gửi quá nhiều góp ý trong thời gian ngắn\. Vui lòng thử lại sau ít phút\./);
  assert.equal((await feedbackRows(w.db)).length, 10);
  assert.equal((await sendFeedback(w.visitor)).response.statusCode, 302, 'another visitor is not punished');
});

test('empty or oversized fields, a bad e-mail and too many links come back as sentences next to the fields, values kept', async (t) => {
  const w = await buildFeedbackWorld(t);
  const empty = await sendFeedback(w.visitor, { kind: '', title: '  ', message: '', email: 'không-phải-thư' });
  assert.equal(empty.response.statusCode, 422);
  assert.equal(fieldError(empty.response.body, 'kind'), 'Vui lòng chọn loại góp ý.');
  assert.equal(fieldError(empty.response.body, 'title'), 'Vui lòng ghi tiêu đề (ít nhất 5 ký tự).');
  assert.equal(fieldError(empty.response.body, 'message'), 'Vui lòng ghi nội dung góp ý (ít nhất 10 ký tự).');
  assert.equal(fieldError(empty.response.body, 'email'), 'Địa chỉ thư điện tử không hợp lệ.');
  assert.equal(shownValue(empty.response.body, 'name'), 'Nguyễn Thị Lan');
  assert.equal(shownValue(empty.response.body, 'email'), 'không-phải-thư');

  const oversized = await sendFeedback(w.visitor, { title: 'T'.repeat(201), message: 'M'.repeat(5001) });
  assert.equal(fieldError(oversized.response.body, 'title'), 'Nội dung quá dài.');
  assert.equal(fieldError(oversized.response.body, 'message'), 'Nội dung quá dài.');

  const links = await sendFeedback(w.visitor, { message: 'Xem https://a.example, http://b.example và www.c.example nữa.' });
  assert.equal(fieldError(links.response.body, 'message'), 'Nội dung chỉ được có tối đa 2 đường liên kết.');
  assert.equal((await sendFeedback(w.visitor, { message: 'Xem https://a.example và http://b.example giúp tôi.' })).response.statusCode, 302, 'two links are fine');

  const unknownAgency = await sendFeedback(w.visitor, { agencyId: '00000000-0000-4000-8000-000000000000' });
  assert.equal(fieldError(unknownAgency.response.body, 'agencyId'), 'Cơ quan này không có hoặc đã ngừng hoạt động trên Cổng.');
  const notAnId = await sendFeedback(w.visitor, { agencyId: 'xyz', datasetId: 'abc' });
  assert.equal(notAnId.response.statusCode, 422, 'not an id: a sentence, not a 500');
  const dataset = await sendFeedback(w.visitor, { datasetId: '00000000-0000-4000-8000-000000000000' });
  assert.equal(dataset.response.statusCode, 422);
  assert.equal((await feedbackRows(w.db)).length, 1);
});

test('HTML and script in a message are stored as typed and shown as text, with its line breaks', async (t) => {
  const w = await buildFeedbackWorld(t);
  const message = 'Dòng một <script>alert("x")</script>\n<b>Dòng hai</b> & <img src=x onerror=alert(1)>';
  const { id } = await sendFeedback(w.visitor, { title: '<i>Tiêu đề</i> có thẻ', message, datasetId: w.dataset.id });
  assert.equal((await feedbackRow(w.db, id)).message, message);
  for (const url of [`/feedback/${id}`, '/feedback', '/dataset/chat-luong-khong-khi']) {
    const page = await w.visitor.get(url);
    assert.doesNotMatch(page.body, /<script>alert|<img src=x|<i>Tiêu đề/, url);
    assert.match(page.body, /&lt;i&gt;Tiêu đề&lt;\/i&gt; có thẻ/, url);
  }
  const item = await w.visitor.get(`/feedback/${id}`);
  assert.match(item.body, /<div class="feedback-text feedback-message">Dòng một &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;\n&lt;b&gt;Dòng hai/);
  assert.doesNotMatch(item.body, /<br>/);
});

test('public list filters live in the URL and unknown values never give a 500', async (t) => {
  const w = await buildFeedbackWorld(t);
  await sendFeedback(w.visitor, { datasetId: w.dataset.id });
  await sendFeedback(w.visitor, { kind: 'data_request', title: 'Đề nghị công bố số giường bệnh', agencyId: w.agencyB.id });
  const titles = async (url: string) => {
    const response = await w.visitor.get(url);
    assert.equal(response.statusCode, 200, url);
    return [...response.body.matchAll(/<h3 class="feedback-item__title"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
  };
  assert.deepEqual(await titles('/feedback?type=data_request'), ['Đề nghị công bố số giường bệnh']);
  assert.deepEqual(await titles('/feedback?agency=so-tai-nguyen-va-moi-truong'), ['Tệp CSV bị lỗi phông chữ']);
  assert.deepEqual(await titles('/feedback?topic=moi-truong'), ['Tệp CSV bị lỗi phông chữ']);
  assert.deepEqual(await titles('/feedback?status=open&type=format'), ['Tệp CSV bị lỗi phông chữ']);
  assert.deepEqual(await titles('/feedback?status=answered'), []);
  assert.deepEqual(await titles('/feedback?agency=khong-co'), []);
  assert.equal((await titles('/feedback?status=%3Cx%3E&type[]=1&topic=')).length, 2, 'unknown values are ignored');
  assert.equal((await w.visitor.get('/feedback?page=abc')).statusCode, 400);
  assert.equal((await w.visitor.get('/feedback/not-an-id')).statusCode, 404);
  assert.equal((await w.visitor.get('/feedback/00000000-0000-4000-8000-000000000000')).statusCode, 404);
});
