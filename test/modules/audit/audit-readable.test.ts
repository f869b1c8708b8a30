import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { auditLog } from '../../../src/modules/audit/audit.table.ts';
import { buildOffice, draftAndSubmit, pageText } from '../datasets/publishing-helpers.ts';

// Seen in a browser: the audit log showed raw action codes ("dataset.approve") and kept no trace of
// requests the portal refused with 403.

test('the audit log names each action in words', async (t) => {
  const office = await buildOffice(t);
  await draftAndSubmit(office);
  const page = pageText((await office.admin.get('/admin/audit')).body);
  assert.match(page, /Gửi duyệt/);
  assert.match(page, /Tải tệp lên/);
  assert.match(page, /Tạo tập dữ liệu/);
  const english = pageText((await office.admin.get('/admin/audit?lang=en')).body);
  assert.match(english, /Sent for review/);
});

test('a signed-in person refused with 403 leaves a line in the audit log', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  const refused = await office.otherLeader.post(`/admin/datasets/${datasetId}/approve`, { comment: '', piiConfirmed: 'on' });
  assert.equal(refused.statusCode, 403);
  const rows = await office.db.select().from(auditLog).where(eq(auditLog.action, 'access.refused'));
  assert.equal(rows.length, 1);
  assert.equal(rows[0].objectLabel, 'POST /admin/datasets/:id/approve');
  assert.match(pageText((await office.admin.get('/admin/audit')).body), /Bị từ chối \(không có quyền\)/);
});
