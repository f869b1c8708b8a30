import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildOffice,
  datasetRow,
  downloadLinks,
  createDraftThroughForm,
  draftAndSubmit,
  pageText,
  publishThroughFlow,
  resourcesOfRevision,
  revisionsOf,
  schoolsCsv,
  uploadFile,
} from './publishing-helpers.ts';

// Seen in a browser: "Gỡ khỏi bản nháp" on a published dataset answered "Không tìm thấy tệp dữ liệu
// này" until the metadata form had been saved once, and every destructive button acted on one click.

test('removing a file from a published dataset starts the new revision itself instead of answering “file not found”', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await publishThroughFlow(office);
  const [published] = await revisionsOf(office.db, datasetId);
  const [publicFile] = await resourcesOfRevision(office.db, published.id);

  // The workspace shows the published revision's files; the officer removes one straight away.
  const workspace = await office.officer.get(`/admin/datasets/${datasetId}`);
  assert.match(workspace.body, new RegExp(`/resources/${publicFile.id}/delete`));
  const removed = await office.officer.post(`/admin/datasets/${datasetId}/resources/${publicFile.id}/delete`, { confirm: 'yes' });
  assert.equal(removed.statusCode, 302, pageText(removed.body).slice(0, 300));

  const [, draft] = await revisionsOf(office.db, datasetId);
  assert.equal(draft?.state, 'draft', 'a new revision was opened by the removal');
  assert.deepEqual(await resourcesOfRevision(office.db, draft.id), [], 'the file is gone from the draft');
  assert.equal((await resourcesOfRevision(office.db, published.id)).length, 1, 'the public revision keeps its file');
  const download = await office.app.inject({ url: downloadLinks((await office.app.inject({ url: `/dataset/${(await datasetRow(office.db, datasetId)).slug}` })).body)[0] });
  assert.equal(download.statusCode, 200);
});

test('“Gỡ khỏi bản nháp” without JavaScript asks on a page first, and that page’s button removes the file', async (t) => {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  await uploadFile(office.officer, office.app, datasetId, { fileName: 'truong-thpt.csv', content: schoolsCsv, name: 'Danh sách trường' });
  const [draft] = await revisionsOf(office.db, datasetId);
  const [file] = await resourcesOfRevision(office.db, draft.id);

  const asked = await office.officer.post(`/admin/datasets/${datasetId}/resources/${file.id}/delete`);
  assert.equal(asked.statusCode, 200);
  assert.match(pageText(asked.body), /Gỡ tệp “Danh sách trường” khỏi bản nháp\?/);
  assert.match(asked.body, /name="confirm" value="yes"/);
  assert.equal((await resourcesOfRevision(office.db, draft.id)).length, 1, 'nothing removed before the answer');

  const confirmed = await office.officer.post(`/admin/datasets/${datasetId}/resources/${file.id}/delete`, { confirm: 'yes' });
  assert.equal(confirmed.statusCode, 302);
  assert.equal((await resourcesOfRevision(office.db, draft.id)).length, 0);
});

test('“Hủy bản nháp” asks before it deletes the draft', async (t) => {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  const asked = await office.officer.post(`/admin/datasets/${datasetId}/discard`);
  assert.equal(asked.statusCode, 200);
  assert.match(pageText(asked.body), /Hủy bản nháp “Danh sách trường trung học phổ thông”\?/);
  assert.ok(await datasetRow(office.db, datasetId), 'the draft is still there');
  const discarded = await office.officer.post(`/admin/datasets/${datasetId}/discard`, { confirm: 'yes' });
  assert.equal(discarded.statusCode, 302);
  assert.equal(await datasetRow(office.db, datasetId), undefined);
});

test('“Gỡ tập dữ liệu” asks before it withdraws, and the confirm page carries the reason that was typed', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await publishThroughFlow(office);
  const reason = 'Số liệu sai, cần rà soát lại.';
  const asked = await office.leader.post(`/admin/datasets/${datasetId}/withdraw`, { reason });
  assert.equal(asked.statusCode, 200);
  assert.match(pageText(asked.body), /Gỡ tập dữ liệu “Danh sách trường trung học phổ thông” khỏi cổng\?/);
  assert.match(asked.body, new RegExp(`name="reason" value="${reason}"`));
  assert.ok((await datasetRow(office.db, datasetId)).publishedRevisionId, 'still public before the answer');

  const withdrawn = await office.leader.post(`/admin/datasets/${datasetId}/withdraw`, { reason, confirm: 'yes' });
  assert.equal(withdrawn.statusCode, 302);
  assert.equal((await datasetRow(office.db, datasetId)).publishedRevisionId, null);
});

test('a withdrawal without a reason is refused next to the field before anything is asked', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office).then(async (id) => {
    await office.leader.get(`/admin/datasets/${id}/review`);
    await office.leader.post(`/admin/datasets/${id}/approve`, { comment: '', piiConfirmed: 'on' });
    return id;
  });
  const refused = await office.leader.post(`/admin/datasets/${datasetId}/withdraw`, { reason: '' });
  assert.equal(refused.statusCode, 422);
  assert.doesNotMatch(refused.body, /name="confirm" value="yes"/);
});
