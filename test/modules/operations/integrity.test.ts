import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { desc, eq } from 'drizzle-orm';
import { openDatabase } from '../../../src/db/client.ts';
import { runMigrations } from '../../../src/db/migrate.ts';
import { auditLog } from '../../../src/modules/audit/audit.table.ts';
import { verifyIntegrity } from '../../../src/modules/operations/integrity.service.ts';
import { resources } from '../../../src/modules/resources/resources.table.ts';
import { LocalFileStorage } from '../../../src/storage/local-file-storage.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildDataset, buildUser } from '../../helpers/factories.ts';
import { deliveredMail } from '../../helpers/mail.ts';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../src/db/client.ts';
import { integrityJobName } from '../../../src/modules/operations/integrity.jobs.ts';
import { buildOffice, createDraftThroughForm, fieldErrors, uploadFile } from '../datasets/publishing-helpers.ts';

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');
const repositoryRoot = path.resolve(import.meta.dirname, '../../..');

test('an upload in another encoding keeps the SHA-256 of the original as well as of the served UTF-8 copy', async (t) => {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  const text = 'tên,số\nHoài Nhơn,12\n';
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const uploaded = await uploadFile(office.officer, office.app, datasetId, { fileName: 'du-lieu.csv', content: utf16 });
  assert.equal(uploaded.statusCode, 302, fieldErrors(uploaded.body).join(' | '));
  const [resource] = await office.db.select().from(resources);
  assert.ok(resource.originalStorageKey);
  assert.equal(resource.originalSha256, sha256(utf16));
  assert.notEqual(resource.sha256, resource.originalSha256);
  assert.equal((await verifyIntegrity(office.db, office.storage)).problems.length, 0);
});

test('an integrity pass finds untouched files clean, then reports a tampered and a missing file, in the audit log too', async (t) => {
  const { db, storage, dataDir } = await buildTestApp(t);
  const { resources: [kept, tampered, lost] } = await buildDataset(db, storage, {
    files: [{ content: 'a,b\n1,2\n' }, { content: 'a,b\n3,4\n' }, { content: 'a,b\n5,6\n' }],
  });

  const clean = await verifyIntegrity(db, storage);
  assert.deepEqual(clean, { checked: 3, recorded: 0, problems: [] });

  await writeFile(path.join(dataDir, 'files', tampered.storageKey ?? ''), 'a,b\n3,5\n');
  await unlink(path.join(dataDir, 'files', lost.storageKey ?? ''));
  const report = await verifyIntegrity(db, storage);
  assert.equal(report.checked, 3);
  const byKind = (kind: string) => report.problems.filter((problem) => problem.kind === kind).map((problem) => [problem.key, problem.resourceIds]);
  assert.deepEqual(byKind('mismatch'), [[tampered.storageKey, [tampered.id]]]);
  assert.deepEqual(byKind('missing'), [[lost.storageKey, [lost.id]]]);
  const mismatch = report.problems.find((problem) => problem.kind === 'mismatch');
  assert.equal(mismatch?.expected, sha256('a,b\n3,4\n'));
  assert.equal(mismatch?.actual, sha256('a,b\n3,5\n'));
  assert.ok(!report.problems.some((problem) => problem.key === kept.storageKey));

  const [audit] = await db.select().from(auditLog).where(eq(auditLog.objectType, 'storage')).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(1);
  assert.equal(audit.action, 'integrity.problems_found');
  assert.equal((audit.details as { mismatched: number }).mismatched, 1);
  assert.equal((audit.details as { missing: number }).missing, 1);
});

test('an integrity pass that finds a changed file mails DOIT the file and a link to the audit log; officers and disabled accounts get nothing (Art. 5.1)', async (t) => {
  const { app, db, storage, dataDir } = await buildTestApp(t, { BASE_URL: 'https://data.example.gov.vn' });
  const doit = await buildUser(db, { role: 'admin' });
  await buildUser(db, { role: 'admin', disabledAt: new Date() });
  await buildUser(db, { role: 'officer' });
  const { resources: [tampered] } = await buildDataset(db, storage, { files: [{ content: 'a,b\n3,4\n' }] });
  await app.ready();

  await verifyIntegrity(db, storage, { baseUrl: 'https://data.example.gov.vn' });
  assert.equal(app.mailer.sent.length + Number(rowsOf<{ n: string }>(await db.execute(sql`select count(*) as n from job_outbox`))[0].n), 0, 'a clean pass mails nobody');

  await writeFile(path.join(dataDir, 'files', tampered.storageKey ?? ''), 'a,b\n3,5\n');
  await verifyIntegrity(db, storage, { baseUrl: 'https://data.example.gov.vn' });
  const [mail] = await deliveredMail(app, 1);
  assert.deepEqual(mail.to, [doit.email]);
  assert.match(mail.subject, /1 tệp bị thay đổi hoặc bị mất/);
  assert.ok(mail.text.includes(`Đã bị thay đổi: ${tampered.storageKey}`));
  assert.ok(mail.text.includes('https://data.example.gov.vn/admin/audit?action=integrity.problems_found'));
});

test('the integrity pass is one daily pg-boss schedule for all nodes, not a timer per process', async (t) => {
  const { app, db } = await buildTestApp(t);
  await app.ready();
  const schedules = rowsOf<{ cron: string; timezone: string }>(await db.execute(sql`select cron, timezone from pgboss.schedule where name = ${integrityJobName}`));
  assert.deepEqual(schedules, [{ cron: '15 3 * * *', timezone: 'Asia/Ho_Chi_Minh' }]);
});

test('a file stored before hashes were kept gets its hash recorded on the first pass, and is checked from then on', async (t) => {
  const { db, storage, dataDir } = await buildTestApp(t);
  const { resources: [old] } = await buildDataset(db, storage, { files: [{ content: 'x\n1\n' }] });
  await db.update(resources).set({ sha256: null }).where(eq(resources.id, old.id));
  assert.equal((await verifyIntegrity(db, storage)).recorded, 1);
  await writeFile(path.join(dataDir, 'files', old.storageKey ?? ''), 'x\n2\n');
  assert.equal((await verifyIntegrity(db, storage)).problems[0]?.kind, 'mismatch');
});

test('npm run cli -- verify-integrity exits 0 on intact files and 1 with the tampered file named', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portal-integrity-cli-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  // The command opens the database the server would: here an embedded one in DATA_DIR (or the server's).
  const serverUrl = process.env.TEST_DATABASE_URL;
  let databaseUrl = '';
  let dropDatabase = async () => {};
  if (serverUrl) {
    const { createTestDatabase } = await import('../../helpers/database.ts');
    const created = await createTestDatabase();
    databaseUrl = created.connectionString ?? '';
    // Closing this handle drops the test database: keep it until the end.
    dropDatabase = () => created.close();
  }
  t.after(() => dropDatabase());
  const handle = await openDatabase({ dataDir, databaseUrl: databaseUrl || undefined });
  await runMigrations(handle);
  const storage = new LocalFileStorage(path.join(dataDir, 'files'));
  const { resources: [file] } = await buildDataset(handle.db, storage, { files: [{ content: 'a\n1\n' }] });
  await handle.close();

  const cli = () =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'verify-integrity'], {
      cwd: repositoryRoot,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
  const intact = cli();
  assert.equal(intact.status, 0, intact.stderr);
  assert.match(intact.stdout, /Checked 1 stored files: 0 problem/);

  await writeFile(path.join(dataDir, 'files', file.storageKey ?? ''), 'a\n2\n');
  const tampered = cli();
  assert.equal(tampered.status, 1, tampered.stderr);
  assert.match(tampered.stdout, new RegExp(`MISMATCH +${file.storageKey}`));
});
