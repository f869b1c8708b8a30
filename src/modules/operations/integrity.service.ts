import { createHash } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import type { FileStorage } from '../../storage/file-storage.ts';
import { translator } from '../../i18n/i18n.ts';
import { rolesGranting } from '../accounts/permissions.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { queueMail } from '../notifications/mail-queue.ts';
import { counter } from './metrics.ts';
import { listActiveEmailsOfRoles, listStoredFileRows, recordMissingHash } from './integrity.repository.ts';

export interface IntegrityProblem {
  key: string;
  kind: 'mismatch' | 'missing';
  expected: string | null;
  actual?: string;
  resourceIds: string[];
}

export interface IntegrityReport {
  /** Distinct stored files hashed. */
  checked: number;
  /** Files whose hash had not been kept (older rows): recorded now, to be checked from the next pass. */
  recorded: number;
  problems: IntegrityProblem[];
}

const integrityProblems = counter('portal_integrity_problems_total', 'Stored files found changed or missing by an integrity pass, by kind.', ['kind']);

async function hashOf(storage: FileStorage, key: string): Promise<string | null> {
  const opened = await storage.open(key);
  if (!opened) return null;
  const hash = createHash('sha256');
  for await (const chunk of opened.stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface IntegrityOptions {
  /** The portal's address, for the link in the mail to DOIT (configuredBaseUrl). */
  baseUrl?: string;
}

/**
 * Art. 5.1: recomputes the SHA-256 of every stored file (the served copy and the original upload) and
 * compares it with the hash kept at upload. Revisions share files by key, so each file is read once.
 * One audit row per pass says what was checked and lists every problem; nothing is repaired. When
 * something is wrong, those whose role grants 'integrity.notify' are mailed in the same transaction
 * (the mail leaves through the job runner, also when the pass ran from the CLI).
 */
export async function verifyIntegrity(db: Database, storage: FileStorage, options: IntegrityOptions = {}): Promise<IntegrityReport> {
  const expected = new Map<string, { hashes: Set<string | null>; resourceIds: string[] }>();
  const expect = (key: string | null, sha256: string | null, resourceId: string) => {
    if (!key) return;
    const entry = expected.get(key) ?? { hashes: new Set(), resourceIds: [] };
    entry.hashes.add(sha256);
    entry.resourceIds.push(resourceId);
    expected.set(key, entry);
  };
  for (const row of await listStoredFileRows(db)) {
    expect(row.storageKey, row.sha256, row.id);
    expect(row.originalStorageKey, row.originalSha256, row.id);
  }

  const report: IntegrityReport = { checked: 0, recorded: 0, problems: [] };
  for (const [key, { hashes, resourceIds }] of expected) {
    const actual = await hashOf(storage, key);
    report.checked++;
    const known = [...hashes].filter((hash): hash is string => hash !== null);
    if (actual === null) {
      report.problems.push({ key, kind: 'missing', expected: known[0] ?? null, resourceIds });
    } else if (known.some((hash) => hash !== actual)) {
      report.problems.push({ key, kind: 'mismatch', expected: known.find((hash) => hash !== actual) ?? null, actual, resourceIds });
    } else if (hashes.has(null)) {
      await recordMissingHash(db, key, actual);
      report.recorded++;
    }
  }
  for (const problem of report.problems) integrityProblems.inc({ kind: problem.kind });

  const mismatched = report.problems.filter((problem) => problem.kind === 'mismatch').length;
  const missing = report.problems.filter((problem) => problem.kind === 'missing').length;
  await db.transaction(async (tx) => {
    await recordAudit(tx, null, {
      action: report.problems.length > 0 ? 'integrity.problems_found' : 'integrity.verified',
      objectType: 'storage',
      details: {
        checked: report.checked,
        recorded: report.recorded,
        mismatched,
        missing,
        // Enough to act on without flooding the log: the first 100 problems.
        problems: report.problems.slice(0, 100),
      },
    });
    if (report.problems.length === 0) return;
    // Back-office mail is in Vietnamese, like the rest of the mail to staff.
    const t = translator('vi');
    const lines = report.problems.slice(0, 20).map((problem) => t(`operations.integrity_mail_${problem.kind}`, { key: problem.key }));
    if (report.problems.length > 20) lines.push(t('operations.integrity_mail_more', { count: report.problems.length - 20 }));
    await queueMail(tx, {
      to: await listActiveEmailsOfRoles(tx, rolesGranting('integrity.notify')),
      subject: t('operations.integrity_mail_subject', { count: report.problems.length }),
      text: t('operations.integrity_mail_body', { checked: report.checked, mismatched, missing, list: lines.join('\n'), link: `${options.baseUrl ?? ''}/admin/audit?action=integrity.problems_found` }),
    });
  });
  return report;
}
