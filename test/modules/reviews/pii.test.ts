import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  auditOf,
  buildOffice,
  draftAndSubmit,
  fieldError,
  fieldErrors,
  pageText,
  reviewsOf,
  revisionsOf,
  snapshot,
} from '../datasets/publishing-helpers.ts';

// Rule 9 (Decree 47 Art. 20): open data must not disclose personal information. A column of citizen
// ID numbers is flagged; the leader must confirm explicitly before approving, and that is recorded.

// 12-digit CCCD numbers issued in Bình Định (province code 079…), under a neutral header so that the
// flag comes from the values.
const cccdCsv = ['mã hồ sơ,xã,mã định danh', '1,Phước Lộc,079201001234', '2,Phước Hưng,079198765432', '3,Cát Tiến,079305554321', ''].join('\n');

test('a column of citizen ID numbers warns the officer and needs the leader’s explicit confirmation', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office, {}, { fileName: 'ho-so.csv', content: cccdCsv });

  // The officer sees the warning on the workspace, with a masked sample.
  const workspace = pageText((await office.officer.get(`/admin/datasets/${datasetId}`)).body);
  assert.match(workspace, /Có thể chứa thông tin cá nhân/);
  assert.match(workspace, /Cột “mã định danh” có vẻ chứa số căn cước công dân \(3 giá trị, ví dụ 0792\*\*\*\*1234\)/);
  assert.doesNotMatch(workspace.replace(/Xem trước[\s\S]*$/, ''), /079201001234/, 'the warning masks the number');

  // The leader sees it too, and cannot approve without ticking the confirmation.
  const review = await office.leader.get(`/admin/datasets/${datasetId}/review`);
  assert.match(pageText(review.body), /Cột “mã định danh” có vẻ chứa số căn cước công dân/);
  assert.match(review.body, /name="piiConfirmed"/);
  const before = await snapshot(office.db, datasetId);
  const refused = await office.leader.post(`/admin/datasets/${datasetId}/approve`, { comment: '' });
  assert.equal(refused.statusCode, 422);
  assert.equal(
    fieldError(refused.body, 'piiConfirmed'),
    'Tập dữ liệu có cột có thể chứa thông tin cá nhân: hãy kiểm tra và đánh dấu xác nhận trước khi phê duyệt.',
  );
  assert.deepEqual(await snapshot(office.db, datasetId), before, 'a refused approval changes nothing');
  assert.equal((await office.app.inject({ url: '/dataset/danh-sach-truong-trung-hoc-pho-thong' })).statusCode, 404);

  // With the box ticked, approval works and the history keeps the confirmation.
  const approved = await office.leader.post(`/admin/datasets/${datasetId}/approve`, { comment: 'Đã kiểm tra: là mã hồ sơ nội bộ.', piiConfirmed: 'on' });
  assert.equal(approved.statusCode, 302, fieldErrors(approved.body).join(' | '));
  assert.equal((await revisionsOf(office.db, datasetId))[0].state, 'published');
  const approval = (await reviewsOf(office.db, datasetId)).find((review) => review.action === 'approve');
  assert.equal(approval?.piiConfirmed, true);
  const audit = (await auditOf(office.db, datasetId)).find((row) => row.action === 'dataset.approve');
  assert.ok(audit, 'the approval is in the audit log');
  const details = audit.details as { piiFlags: number; piiConfirmed: boolean };
  assert.deepEqual({ piiFlags: details.piiFlags, piiConfirmed: details.piiConfirmed }, { piiFlags: 1, piiConfirmed: true });
  const history = pageText((await office.leader.get(`/admin/datasets/${datasetId}/review`)).body);
  assert.match(history, /Phê duyệt — [^·]*· đã xác nhận không có thông tin cá nhân/);
  // The public never sees the flags.
  const page = await office.app.inject({ url: '/dataset/danh-sach-truong-trung-hoc-pho-thong' });
  assert.doesNotMatch(pageText(page.body), /căn cước/);
});

test('a dataset without personal-data flags is approved without the confirmation, and none is recorded', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  const review = await office.leader.get(`/admin/datasets/${datasetId}/review`);
  assert.doesNotMatch(review.body, /name="piiConfirmed"/);
  // A box ticked for nothing is not recorded as a confirmation.
  const approved = await office.leader.post(`/admin/datasets/${datasetId}/approve`, { comment: '', piiConfirmed: 'on' });
  assert.equal(approved.statusCode, 302);
  const approval = (await reviewsOf(office.db, datasetId)).find((row) => row.action === 'approve');
  assert.equal(approval?.piiConfirmed, false);
});
