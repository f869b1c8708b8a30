import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  buildOffice,
  datasetFormValues,
  datasetRow,
  downloadLinks,
  fieldErrors,
  type Office,
  pageText,
  publishThroughFlow,
  resourcesOfRevision,
  revisionsOf,
  schoolsCsv,
  uploadFile,
} from '../datasets/publishing-helpers.ts';

// Rule 1: editing a published dataset must not take it offline; the new version waits for approval
// while the old one stays public, and every approved revision stays in the public history.

const v2Csv = `${schoolsCsv}THPT Tuy Phước,Tuy Phước,800\n`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const publicUrl = '/dataset/danh-sach-truong-trung-hoc-pho-thong';

async function publicPage(office: Office) {
  const page = await office.app.inject({ url: publicUrl });
  assert.equal(page.statusCode, 200);
  return page;
}

test('the published revision stays public while its successor waits', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await publishThroughFlow(office);
  const [v1Link] = downloadLinks((await publicPage(office)).body);

  // The officer edits the title: a new draft revision starts from the published one, files included.
  const saved = await office.officer.post(`/admin/datasets/${datasetId}`, datasetFormValues(office.topic.id, { title: 'Danh sách trường THPT (cập nhật 2025)' }));
  assert.equal(saved.statusCode, 302, fieldErrors(saved.body).join(' | '));
  const [, draft] = await revisionsOf(office.db, datasetId);
  assert.equal(draft.state, 'draft');
  const [copied] = await resourcesOfRevision(office.db, draft.id);

  // …and replaces the file, choosing it in the workspace's "replace" list.
  const workspace = await office.officer.get(`/admin/datasets/${datasetId}`);
  assert.match(workspace.body, new RegExp(`<option value="${copied.id}"`), 'the replace list offers the draft’s copy of the file');
  const replaced = await uploadFile(office.officer, office.app, datasetId, { fileName: 'truong-thpt-2025.csv', content: v2Csv, replaceResourceId: copied.id });
  assert.equal(replaced.statusCode, 302, fieldErrors(replaced.body).join(' | '));
  const submitted = await office.officer.post(`/admin/datasets/${datasetId}/submit`);
  assert.equal(submitted.statusCode, 302);

  // Public: still v1, title and file.
  const waiting = await publicPage(office);
  assert.match(pageText(waiting.body), /Danh sách trường trung học phổ thông/);
  assert.doesNotMatch(pageText(waiting.body), /cập nhật 2025/);
  assert.deepEqual(downloadLinks(waiting.body).slice(0, 1), [v1Link]);
  const v1Download = await office.app.inject({ url: v1Link });
  assert.equal(v1Download.statusCode, 200);
  assert.equal(v1Download.body, `\uFEFF${schoolsCsv}`, 'the stored file, with the BOM Excel needs');

  // The draft's file is never downloadable, whatever address is tried.
  const [candidateFile] = await resourcesOfRevision(office.db, draft.id);
  assert.equal((await office.app.inject({ url: `${publicUrl}/resource/${candidateFile.id}/download` })).statusCode, 404);
  assert.equal((await office.app.inject({ url: `${publicUrl}/resource/${candidateFile.id}/download/truong-thpt-2025.csv` })).statusCode, 404);

  // The leader's review page: field difference, and the file "replaced" with both checksums and row counts.
  const review = await office.leader.get(`/admin/datasets/${datasetId}/review`);
  assert.equal(review.statusCode, 200);
  const text = pageText(review.body);
  assert.match(text, /Khác biệt so với phiên bản đang công khai \(1\)/);
  assert.match(text, /Tên tập dữ liệu Danh sách trường trung học phổ thông Danh sách trường THPT \(cập nhật 2025\)/);
  assert.match(text, /Thay thế/);
  assert.match(text, /Số dòng: 2 → 3/);
  assert.match(review.body, new RegExp(`<code>${sha256(schoolsCsv)}</code> → <code>${sha256(v2Csv)}</code>`));

  // Approved: v2 is public, v1 is in the history with its file still downloadable.
  const approved = await office.leader.post(`/admin/datasets/${datasetId}/approve`, { comment: '' });
  assert.equal(approved.statusCode, 302, fieldErrors(approved.body).join(' | '));
  const states = (await revisionsOf(office.db, datasetId)).map((revision) => revision.state);
  assert.deepEqual(states, ['superseded', 'published']);
  assert.equal((await datasetRow(office.db, datasetId)).publishedRevisionId, draft.id);

  const after = await publicPage(office);
  const afterText = pageText(after.body);
  assert.match(afterText, /Danh sách trường THPT \(cập nhật 2025\)/);
  assert.match(afterText, /Phiên bản 2 · phiên bản hiện hành/);
  assert.match(afterText, /Phiên bản 1/);
  assert.match(afterText, /Cập nhật: Tên tập dữ liệu; thay 1 tệp/);
  const links = downloadLinks(after.body);
  const current = links.find((link) => link.includes(candidateFile.id));
  assert.ok(current, 'the new file is offered');
  assert.equal((await office.app.inject({ url: current })).body, `\uFEFF${v2Csv}`);
  assert.ok(links.includes(v1Link), 'the history links the v1 file');
  const old = await office.app.inject({ url: v1Link });
  assert.equal(old.statusCode, 200);
  assert.equal(old.body, `\uFEFF${schoolsCsv}`);
});

test('replacing a published file straight from the workspace starts the new revision', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await publishThroughFlow(office);
  const [v1] = await revisionsOf(office.db, datasetId);
  const [published] = await resourcesOfRevision(office.db, v1.id);

  // Nothing is in the works yet: the workspace shows the public revision's files in the replace list.
  const workspace = await office.officer.get(`/admin/datasets/${datasetId}`);
  const offered = /<select id="field-replaceResourceId"[^>]*>([\s\S]*?)<\/select>/.exec(workspace.body)?.[1] ?? '';
  const offeredId = /<option value="([0-9a-f-]{36})"/.exec(offered)?.[1];
  assert.ok(offeredId, 'the workspace offers to replace the published file');

  const replaced = await uploadFile(office.officer, office.app, datasetId, { fileName: 'truong-thpt-2025.csv', content: v2Csv, replaceResourceId: offeredId });
  assert.equal(replaced.statusCode, 302, `the officer picked the file the page offered (${offeredId === published.id ? 'the published one' : 'another'}), got ${replaced.statusCode}: ${pageText(replaced.body).slice(0, 200)}`);
  const [, draft] = await revisionsOf(office.db, datasetId);
  const files = await resourcesOfRevision(office.db, draft.id);
  assert.equal(files.length, 1, 'replaced, not added');
  assert.equal(files[0].lineageId, published.lineageId);
  assert.equal(files[0].sha256, sha256(v2Csv));
  // The public one is untouched.
  assert.equal((await resourcesOfRevision(office.db, v1.id))[0].sha256, sha256(schoolsCsv));
});

test('removing a file from a new revision keeps the published file downloadable', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await publishThroughFlow(office);
  const [v1Link] = downloadLinks((await publicPage(office)).body);
  await office.officer.post(`/admin/datasets/${datasetId}`, datasetFormValues(office.topic.id, { notes: 'Bỏ tệp cũ' }));
  const [, draft] = await revisionsOf(office.db, datasetId);
  const [copy] = await resourcesOfRevision(office.db, draft.id);
  await office.officer.get(`/admin/datasets/${datasetId}`);
  const removed = await office.officer.post(`/admin/datasets/${datasetId}/resources/${copy.id}/delete`, { confirm: 'yes' });
  assert.equal(removed.statusCode, 302);
  const download = await office.app.inject({ url: v1Link });
  assert.equal(download.statusCode, 200, 'the shared stored file is kept for the public revision');
  assert.equal(download.body, `\uFEFF${schoolsCsv}`);
});

test('the address of a dataset that has been public cannot change', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await publishThroughFlow(office);
  const response = await office.officer.post(`/admin/datasets/${datasetId}`, datasetFormValues(office.topic.id, { slug: 'dia-chi-moi' }));
  assert.equal(response.statusCode, 422);
  assert.equal(
    pageText(response.body).includes('Không thể đổi địa chỉ của tập dữ liệu đã công bố.'),
    true,
  );
  assert.equal((await datasetRow(office.db, datasetId)).slug, 'danh-sach-truong-trung-hoc-pho-thong');
  assert.equal((await revisionsOf(office.db, datasetId)).length, 1, 'no draft was started by the refused edit');
});
