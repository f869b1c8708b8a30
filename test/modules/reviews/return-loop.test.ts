import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildOffice,
  datasetFormValues,
  draftAndSubmit,
  pageText,
  resourcesOfRevision,
  revisionsOf,
  schoolsCsv,
  uploadFile,
} from '../datasets/publishing-helpers.ts';

// Seen in a browser: the leader's return comment was only in the inbox and at the bottom of the
// history; on resubmission the review showed everything as a first publication; the leader could
// only preview the draft's first rows.

const comment = 'Thiếu cột số điện thoại; đổi tên tệp cho rõ.';

async function returned(t: Parameters<typeof buildOffice>[0]) {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  await office.leader.get(`/admin/datasets/${datasetId}/review`);
  const response = await office.leader.post(`/admin/datasets/${datasetId}/return`, { comment });
  assert.equal(response.statusCode, 302);
  return { office, datasetId };
}

test('the officer sees the leader’s return comment at the top of the workspace until the dataset is sent again', async (t) => {
  const { office, datasetId } = await returned(t);
  const workspace = await office.officer.get(`/admin/datasets/${datasetId}`);
  const text = pageText(workspace.body);
  assert.match(text, /đã trả lại bản này lúc/);
  assert.ok(text.indexOf(comment) < text.indexOf('Thông tin tập dữ liệu'), 'the comment comes before the dataset’s information');

  const resent = await office.officer.post(`/admin/datasets/${datasetId}/submit`);
  assert.equal(resent.statusCode, 302);
  const after = pageText((await office.officer.get(`/admin/datasets/${datasetId}`)).body);
  assert.doesNotMatch(after, /đã trả lại bản này lúc/);
});

test('on resubmission the leader sees what changed since the return, not a first publication again', async (t) => {
  const { office, datasetId } = await returned(t);
  const fixed = await office.officer.post(`/admin/datasets/${datasetId}`, datasetFormValues(office.topic.id, { contact: 'Phòng Kế hoạch – 0256 3822 111' }));
  assert.equal(fixed.statusCode, 302);
  const [revision] = await revisionsOf(office.db, datasetId);
  const [file] = await resourcesOfRevision(office.db, revision.id);
  const replaced = await uploadFile(office.officer, office.app, datasetId, { fileName: 'truong-thpt-v2.csv', content: `${schoolsCsv}THPT Tuy Phước,Tuy Phước,800\n`, replaceResourceId: file.id });
  assert.equal(replaced.statusCode, 302);
  await office.officer.post(`/admin/datasets/${datasetId}/submit`);

  const review = pageText((await office.leader.get(`/admin/datasets/${datasetId}/review`)).body);
  const since = review.slice(review.indexOf('Những gì đã sửa kể từ khi trả lại'));
  assert.ok(review.includes('Những gì đã sửa kể từ khi trả lại'), 'a section of changes since the return');
  assert.match(review, new RegExp(comment.replace(/[.;]/g, '\\$&')));
  const sinceSection = since.slice(0, since.indexOf('Công bố lần đầu'));
  assert.match(sinceSection, /Khi trả lại Bây giờ/);
  assert.match(sinceSection, /Phòng Kế hoạch – Tài chính/, 'the contact as it was when returned');
  assert.match(sinceSection, /Phòng Kế hoạch – 0256 3822 111/, 'the contact as it is now');
  assert.doesNotMatch(sinceSection, /Danh sách các trường THPT trên địa bàn tỉnh/, 'unchanged fields are not listed again');
});

test('the leader can download the whole file of a draft, and another agency cannot', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  const reviewPage = await office.leader.get(`/admin/datasets/${datasetId}/review`);
  const link = /href="(\/admin\/datasets\/[^"]+\/file)"/.exec(reviewPage.body)?.[1];
  assert.ok(link, 'the review offers the whole file');
  const download = await office.leader.get(link);
  assert.equal(download.statusCode, 200);
  assert.equal(download.body, schoolsCsv);
  assert.match(String(download.headers['content-disposition']), /truong-thpt\.csv/);
  assert.equal((await office.otherLeader.get(link)).statusCode, 403);
  assert.equal((await office.app.inject({ url: link })).statusCode === 200, false, 'not for the public');
});
