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

test('every action the portal writes to the audit log has a name in Vietnamese and in English', async () => {
  const { readFileSync, readdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
  // Each recordAudit(…) call names its action as a literal within the call's first lines.
  const actions = new Set<string>();
  for (const file of sources('src')) {
    const text = readFileSync(file, 'utf8');
    for (const call of text.matchAll(/recordAudit\(([\s\S]{0,400})/g)) {
      const literal = /action: '([a-z_]+\.[a-z_]+)'/.exec(call[1]);
      if (literal) actions.add(literal[1]);
    }
  }
  assert.ok(actions.size > 20, `only ${actions.size} actions found: the scan is broken`);
  for (const locale of ['vi', 'en']) {
    const names = JSON.parse(readFileSync(`locales/${locale}/audit.json`, 'utf8')).actions;
    const unnamed = [...actions].filter((action) => {
      const [group, verb] = action.split('.');
      return typeof names[group]?.[verb] !== 'string';
    });
    assert.deepEqual(unnamed, [], `${locale}: actions shown as raw codes`);
  }
});
