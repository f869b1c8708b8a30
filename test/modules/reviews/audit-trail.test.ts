import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Agent } from '../../helpers/agent.ts';
import {
  auditOf,
  buildOffice,
  countRows,
  createDraftThroughForm,
  datasetFormValues,
  draftAndSubmit,
  type Office,
  reviewsOf,
  schoolsCsv,
  uploadFile,
} from '../datasets/publishing-helpers.ts';

// Issue build item 9: every transition runs in one transaction with its audit row. In PostgreSQL
// now() is the time the transaction began, so an audit row and a review row written by the same
// transaction carry the very same timestamp; rows of two transactions do not.

async function transition(office: Office, datasetId: string, step: () => Promise<{ statusCode: number }>, expected: { audit: string; review: string }) {
  const before = await countRows(office.db);
  const response = await step();
  assert.equal(response.statusCode, 302, `${expected.review} went through`);
  const after = await countRows(office.db);
  assert.equal(after.audit - before.audit, 1, `${expected.review}: one audit row`);
  assert.equal(after.reviews - before.reviews, 1, `${expected.review}: one review row`);
  const audit = (await auditOf(office.db, datasetId)).at(-1);
  const review = (await reviewsOf(office.db, datasetId)).at(-1);
  assert.equal(audit?.action, expected.audit);
  assert.equal(review?.action, expected.review);
  assert.equal(audit?.at.getTime(), review?.at.getTime(), `${expected.review}: both rows written by the same transaction`);
  assert.equal(audit?.actorId, review?.actorId);
}

async function refused(office: Office, step: () => Promise<{ statusCode: number }>, label: string) {
  const before = await countRows(office.db);
  const response = await step();
  assert.ok(response.statusCode >= 400, `${label} is refused (got ${response.statusCode})`);
  assert.deepEqual(await countRows(office.db), before, `${label} writes nothing`);
}

test('every transition writes one audit row and one review row in the same transaction', async (t) => {
  const office = await buildOffice(t);
  const { officer, leader, admin } = office;
  const { datasetId } = await createDraftThroughForm(officer, office.topic.id);
  await uploadFile(officer, office.app, datasetId, { fileName: 'truong.csv', content: schoolsCsv });
  const post = (agent: Agent, action: string, form: Record<string, string> = {}) => () => agent.post(`/admin/datasets/${datasetId}/${action}`, form);

  await transition(office, datasetId, post(officer, 'submit'), { audit: 'dataset.submit', review: 'submit' });
  await transition(office, datasetId, post(leader, 'return', { comment: 'Thiếu cột địa chỉ.' }), { audit: 'dataset.return', review: 'return' });
  await officer.post(`/admin/datasets/${datasetId}`, datasetFormValues(office.topic.id, { notes: 'Đã bổ sung' }));
  await transition(office, datasetId, post(officer, 'submit'), { audit: 'dataset.submit', review: 'submit' });
  await transition(office, datasetId, post(leader, 'approve', { comment: '' }), { audit: 'dataset.approve', review: 'approve' });
  await transition(office, datasetId, post(admin, 'withdraw', { reason: 'Gỡ để rà soát.', confirm: 'yes' }), { audit: 'dataset.withdraw', review: 'withdraw' });
});

test('a refused transition writes neither an audit row nor a review row', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  const post = (agent: Agent, action: string, form: Record<string, string> = {}) => () => agent.post(`/admin/datasets/${datasetId}/${action}`, form);

  await refused(office, post(office.officer, 'submit'), 'a double submit');
  await refused(office, post(office.otherLeader, 'approve', { comment: '' }), 'approval by another agency’s leader');
  await refused(office, post(office.officer, 'approve', { comment: '' }), 'approval by the officer');
  await refused(office, post(office.leader, 'return', { comment: '' }), 'a return without a comment');
  await refused(office, post(office.leader, 'withdraw', { reason: 'Chưa công bố mà gỡ.', confirm: 'yes' }), 'withdrawing what is not public');
  await refused(office, post(office.admin, 'approve', { comment: '' }), 'approval by DOIT staff');

  const { datasetId: emptyId } = await createDraftThroughForm(office.officer, office.topic.id, { title: 'Tập dữ liệu chưa có tệp', slug: 'chua-co-tep' });
  await refused(office, () => office.officer.post(`/admin/datasets/${emptyId}/submit`), 'a submit without files');
  await refused(office, post(office.leader, 'withdraw', { reason: '' }), 'a withdrawal without a reason');
});
