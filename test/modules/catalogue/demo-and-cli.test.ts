import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { catalogues } from '../../../src/modules/catalogue/catalogue.table.ts';
import type { Actor } from '../../../src/modules/accounts/permissions.ts';
import { assessEntry, graceDaysFrom, loadTracked } from '../../../src/modules/catalogue/compliance.service.ts';
import { vietnamDay } from '../../../src/modules/catalogue/deadlines.ts';
import { listDatabases } from '../../../src/modules/catalogue/databases.repository.ts';
import { seedDemo } from '../../../src/modules/demo/seed-demo.ts';
import { siteSettingDefaults } from '../../../src/modules/settings/settings.defaults.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { entriesOf } from './support.ts';

test('the demo loads the Bình Định catalogue through the import as the approved catalogue of this year, each entry linked to its dataset', async (t) => {
  const { database, storage, db } = await buildTestApp(t);
  await seedDemo({ database, storage });
  const [catalogue, ...others] = await db.select().from(catalogues);
  assert.equal(others.length, 0);
  assert.deepEqual([catalogue.year, catalogue.status, catalogue.decisionNumber], [new Date().getFullYear(), 'approved', '1542/QĐ-UBND']);
  const entries = await entriesOf(db, catalogue.id);
  assert.equal(entries.length, 167);
  assert.ok(entries.every((entry) => entry.datasetId !== null && entry.frequency !== null), 'every entry has its dataset and a frequency');

  // Publication history: per agency, the share of past update periods published on time.
  const doit: Actor = { id: 'x', email: 'x', role: 'admin', agencyId: null, ip: null };
  const { entries: tracked, times } = await loadTracked(db, doit, new Date());
  const grace = graceDaysFrom(siteSettingDefaults);
  const today = vietnamDay(new Date());
  const byAgency = new Map<string, { onTime: number; missed: number }>();
  for (const entry of tracked) {
    const counts = byAgency.get(entry.agencyName) ?? { onTime: 0, missed: 0 };
    for (const period of assessEntry(entry, times.get(entry.datasetId ?? '') ?? [], grace, today)) {
      if (period.status === 'on_time') counts.onTime++;
      if (period.status === 'late' || period.status === 'overdue') counts.missed++;
    }
    byAgency.set(entry.agencyName, counts);
  }
  const punctual = [...byAgency].filter(([, c]) => c.onTime > 0 && c.missed <= c.onTime / 5).map(([name]) => name);
  const late = [...byAgency].filter(([, c]) => c.missed > c.onTime).map(([name]) => name);
  assert.ok(punctual.length >= 3, `agencies on time: ${punctual.join(', ')}`);
  assert.ok(late.length >= 3, `agencies late: ${late.join(', ')}`);

  // The database catalogue has a few realistic databases; their open categories link to published datasets.
  const databases = await listDatabases(db);
  assert.equal(databases.length, 4);
  const categories = databases.flatMap((row) => row.categories);
  assert.deepEqual([...new Set(categories.map((category) => category.sharingClass))].sort(), ['on_request', 'open', 'shared']);
  assert.ok(categories.filter((category) => category.sharingClass === 'open').every((category) => category.datasetOnline), 'every open category links to its published dataset');
});

const cliPath = new URL('../../../src/cli.ts', import.meta.url).pathname;
function cli(args: string[], dataDir: string) {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', cliPath, ...args], {
    env: { ...inherited, LOG_LEVEL: 'silent', DATA_DIR: dataDir, SEED_DEMO: 'never' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

test('npm run cli -- import-catalogue --year Y FILE imports a file, or lists its problems and imports nothing', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cli-catalogue-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  assert.equal(cli(['seed-demo'], dataDir).status, 0);
  const good = path.join(dataDir, 'danh-muc.csv');
  await writeFile(good, 'TT,Tên tập dữ liệu,Đơn vị chủ trì cung cấp,Tần suất cung cấp,Nhóm chủ đề\n1,Danh sách trường học,Sở Giáo dục và Đào tạo,Hằng quý,Giáo dục\n');
  const imported = cli(['import-catalogue', '--year', '2031', good], dataDir);
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(imported.stdout, /Imported 1 entries into the draft catalogue of 2031/);

  const bad = path.join(dataDir, 'sai.csv');
  await writeFile(bad, 'TT,Tên tập dữ liệu,Đơn vị chủ trì cung cấp,Tần suất cung cấp,Nhóm chủ đề\n1,A,Sở Không Có,Hằng quý,Giáo dục\n2,B,Sở Y tế,khi nào rảnh,Giáo dục\n');
  const refused = cli(['import-catalogue', '--year', '2031', bad], dataDir);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /row 2, column "Đơn vị chủ trì cung cấp": There is no agency named "Sở Không Có"/);
  assert.match(refused.stderr, /row 3, column "Tần suất cung cấp"/);
  assert.match(refused.stderr, /Nothing was imported: the file has 2 problems/);
  assert.equal(cli(['import-catalogue', bad], dataDir).status, 2, 'the year is required');
});
