import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildOffice,
  createDraftThroughForm,
  datasetFormValues,
  datasetRow,
  draftAndSubmit,
  downloadLinks,
  fieldErrors,
  pageText,
  publishThroughFlow,
  revisionsOf,
  reviewsOf,
  snapshot,
  uploadFile,
} from './publishing-helpers.ts';

// Rule 1 (782 Art. 8.3): officer draft → leader approves and it is published under its topic group,
// or returns it with a comment. Each test walks one transition through the real forms.

test('an officer creates a draft for their own agency, whatever agency the form claims', async (t) => {
  const office = await buildOffice(t);
  const { datasetId, response } = await createDraftThroughForm(office.officer, office.topic.id, {
    agencyId: '00000000-0000-4000-8000-000000000000',
    title: 'Danh sách trường mầm non',
  });
  assert.equal(response.statusCode, 302, fieldErrors(response.body).join(' | '));
  const dataset = await datasetRow(office.db, datasetId);
  assert.equal(dataset.agencyId, office.agencyId);
  assert.equal(dataset.slug, 'danh-sach-truong-mam-non');
  assert.equal(dataset.publishedRevisionId, null);
  const [revision] = await revisionsOf(office.db, datasetId);
  assert.equal(revision.state, 'draft');
  assert.equal(revision.title, 'Danh sách trường mầm non');
  assert.deepEqual(revision.tags, ['trường học', 'giáo dục']);
  // Nothing is public before a leader approves.
  assert.equal((await office.app.inject({ url: '/dataset/danh-sach-truong-mam-non' })).statusCode, 404);
});

test('a submitted draft waits in the leader’s inbox, with a count in the back-office menu', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  const [revision] = await revisionsOf(office.db, datasetId);
  assert.equal(revision.state, 'pending_review');
  assert.ok(revision.submittedAt);

  const inbox = await office.leader.get('/admin/inbox');
  assert.equal(inbox.statusCode, 200);
  assert.match(inbox.body, new RegExp(`href="/admin/datasets/${datasetId}/review">Danh sách trường trung học phổ thông<`));
  assert.match(inbox.body, /href="\/admin\/inbox"[^>]*>[^<]*<span class="count">1<\/span>/);
  // The other agency's leader sees nothing of it.
  const otherInbox = await office.otherLeader.get('/admin/inbox');
  assert.doesNotMatch(otherInbox.body, /Danh sách trường trung học phổ thông/);
  assert.doesNotMatch(otherInbox.body, /<span class="count">/);
  // Nor is it public while it waits.
  assert.equal((await office.app.inject({ url: '/dataset/danh-sach-truong-trung-hoc-pho-thong' })).statusCode, 404);
});

test('an approved draft is published under its topic group and its file downloads', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  const review = await office.leader.get(`/admin/datasets/${datasetId}/review`);
  assert.equal(review.statusCode, 200);
  const approved = await office.leader.post(`/admin/datasets/${datasetId}/approve`, { comment: 'Đồng ý công bố.' });
  assert.equal(approved.statusCode, 302, fieldErrors(approved.body).join(' | '));

  const [revision] = await revisionsOf(office.db, datasetId);
  assert.equal(revision.state, 'published');
  const dataset = await datasetRow(office.db, datasetId);
  assert.equal(dataset.publishedRevisionId, revision.id);
  assert.ok(dataset.firstPublishedAt);

  const group = await office.app.inject({ url: '/group/giao-duc' });
  assert.match(group.body, /href="\/dataset\/danh-sach-truong-trung-hoc-pho-thong"/);
  const page = await office.app.inject({ url: '/dataset/danh-sach-truong-trung-hoc-pho-thong' });
  assert.equal(page.statusCode, 200);
  assert.match(pageText(page.body), /Danh sách trường trung học phổ thông/);
  const [link] = downloadLinks(page.body);
  const download = await office.app.inject({ url: link });
  assert.equal(download.statusCode, 200);
  assert.match(download.body, /THPT Quốc Học,Quy Nhơn,1200/);
  // The leader's inbox is empty again.
  assert.doesNotMatch((await office.leader.get('/admin/inbox')).body, /<span class="count">/);
});

test('a returned draft goes back to the officer with the leader’s comment', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  await office.leader.get(`/admin/datasets/${datasetId}/review`);
  const comment = 'Bổ sung cột địa chỉ và số điện thoại của trường.';
  const returned = await office.leader.post(`/admin/datasets/${datasetId}/return`, { comment });
  assert.equal(returned.statusCode, 302, fieldErrors(returned.body).join(' | '));

  const [revision] = await revisionsOf(office.db, datasetId);
  assert.equal(revision.state, 'returned');
  const inbox = await office.officer.get('/admin/inbox');
  assert.match(pageText(inbox.body), new RegExp(`Ý kiến lãnh đạo: ${comment}`));
  assert.match(inbox.body, /href="\/admin\/inbox"[^>]*>[^<]*<span class="count">1<\/span>/);
  assert.equal((await office.app.inject({ url: '/dataset/danh-sach-truong-trung-hoc-pho-thong' })).statusCode, 404);
});

test('an officer edits a returned draft and sends it again', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  await office.leader.post(`/admin/datasets/${datasetId}/return`, { comment: 'Sửa lại tên cho rõ năm học.' });

  const form = await office.officer.get(`/admin/datasets/${datasetId}/edit`);
  assert.equal(form.statusCode, 200);
  const saved = await office.officer.post(`/admin/datasets/${datasetId}`, datasetFormValues(office.topic.id, { title: 'Danh sách trường THPT năm học 2023–2024' }));
  assert.equal(saved.statusCode, 302, fieldErrors(saved.body).join(' | '));
  const resubmitted = await office.officer.post(`/admin/datasets/${datasetId}/submit`);
  assert.equal(resubmitted.statusCode, 302);

  const revisions = await revisionsOf(office.db, datasetId);
  assert.equal(revisions.length, 1, 'a returned revision is edited in place, not copied');
  assert.equal(revisions[0].state, 'pending_review');
  assert.equal(revisions[0].title, 'Danh sách trường THPT năm học 2023–2024');
  assert.deepEqual(
    (await reviewsOf(office.db, datasetId)).map((review) => review.action),
    ['submit', 'return', 'submit'],
  );
  // The officer's inbox no longer lists it as returned; the leader's does as pending.
  assert.doesNotMatch((await office.officer.get('/admin/inbox')).body, /<span class="count">/);
  assert.match((await office.leader.get('/admin/inbox')).body, /<span class="count">1<\/span>/);
});

test('a leader withdraws a published dataset with a reason: it leaves the public site, its history stays', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await publishThroughFlow(office);
  const page = await office.app.inject({ url: '/dataset/danh-sach-truong-trung-hoc-pho-thong' });
  const [link] = downloadLinks(page.body);

  await office.leader.get(`/admin/datasets/${datasetId}/review`);
  const withdrawn = await office.leader.post(`/admin/datasets/${datasetId}/withdraw`, { reason: 'Số liệu sai, cần rà soát lại.', confirm: 'yes' });
  assert.equal(withdrawn.statusCode, 302, fieldErrors(withdrawn.body).join(' | '));

  assert.equal((await office.app.inject({ url: '/dataset/danh-sach-truong-trung-hoc-pho-thong' })).statusCode, 404);
  assert.equal((await office.app.inject({ url: link })).statusCode, 404);
  assert.doesNotMatch((await office.app.inject({ url: '/group/giao-duc' })).body, /danh-sach-truong-trung-hoc-pho-thong/);

  const dataset = await datasetRow(office.db, datasetId);
  assert.equal(dataset.publishedRevisionId, null);
  assert.equal(dataset.withdrawnReason, 'Số liệu sai, cần rà soát lại.');
  const revisions = await revisionsOf(office.db, datasetId);
  assert.deepEqual(revisions.map((revision) => revision.state), ['withdrawn']);
  assert.deepEqual((await reviewsOf(office.db, datasetId)).map((review) => review.action), ['submit', 'approve', 'withdraw']);
  const history = await office.leader.get(`/admin/datasets/${datasetId}/review`);
  assert.match(pageText(history.body), /Số liệu sai, cần rà soát lại\./);
});

test('DOIT staff can withdraw any agency’s published dataset too', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await publishThroughFlow(office);
  await office.admin.get(`/admin/datasets/${datasetId}/review`);
  const withdrawn = await office.admin.post(`/admin/datasets/${datasetId}/withdraw`, { reason: 'Vi phạm quy định bảo mật.', confirm: 'yes' });
  assert.equal(withdrawn.statusCode, 302, fieldErrors(withdrawn.body).join(' | '));
  assert.equal((await datasetRow(office.db, datasetId)).publishedRevisionId, null);
  assert.equal((await office.app.inject({ url: '/dataset/danh-sach-truong-trung-hoc-pho-thong' })).statusCode, 404);
});

test('an officer cannot approve their own submission', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  const before = await snapshot(office.db, datasetId);
  const response = await office.officer.post(`/admin/datasets/${datasetId}/approve`, { comment: '', piiConfirmed: 'on' });
  assert.equal(response.statusCode, 403);
  assert.match(pageText(response.body), /Bạn không có quyền thực hiện thao tác này/);
  assert.deepEqual(await snapshot(office.db, datasetId), before);
  // Nor return it to themselves.
  assert.equal((await office.officer.post(`/admin/datasets/${datasetId}/return`, { comment: 'Tự trả lại cho mình.' })).statusCode, 403);
  assert.deepEqual(await snapshot(office.db, datasetId), before);
});

test('a leader cannot edit a dataset, upload to it or submit it', async (t) => {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  const before = await snapshot(office.db, datasetId);

  assert.equal((await office.leader.get(`/admin/datasets/${datasetId}/edit`)).statusCode, 403);
  const edit = await office.leader.post(`/admin/datasets/${datasetId}`, datasetFormValues(office.topic.id, { title: 'Tên do lãnh đạo sửa' }));
  assert.equal(edit.statusCode, 403);
  const upload = await uploadFile(office.leader, office.app, datasetId, { fileName: 'x.csv', content: 'a,b\n1,2\n' });
  assert.equal(upload.statusCode, 403);
  assert.equal((await office.leader.post(`/admin/datasets/${datasetId}/submit`)).statusCode, 403);
  // The workspace offers the leader no editing form.
  const workspace = await office.leader.get(`/admin/datasets/${datasetId}`);
  assert.equal(workspace.statusCode, 200);
  assert.doesNotMatch(workspace.body, /\/edit"/);
  assert.doesNotMatch(workspace.body, /enctype="multipart\/form-data"/);
  assert.deepEqual(await snapshot(office.db, datasetId), before);
});
