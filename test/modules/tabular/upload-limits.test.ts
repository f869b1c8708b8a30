import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settingsForm } from '../accounts/support.ts';
import { buildOffice, createDraftThroughForm, fieldError, fieldErrors, type Office, resourcesOfRevision, revisionsOf, uploadFile } from '../datasets/publishing-helpers.ts';
import { sharedStringsBomb, wideWorkbook } from './xlsx-bombs.ts';

// Issue 10: a table too wide or an XLSX bomb is refused at upload with a sentence next to the file
// field, nothing is stored, and the server's memory stays bounded.

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function draft(office: Office) {
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  assert.ok(datasetId);
  return datasetId;
}

async function storedResources(office: Office, datasetId: string) {
  const revisions = await revisionsOf(office.db, datasetId);
  return revisions.length === 0 ? [] : resourcesOfRevision(office.db, revisions[0].id);
}

/** Peak RSS growth (MB) while `work` runs, sampled every few milliseconds. */
/**
 * Upload refusals come back as post/redirect/get: the workspace shows the sentence next to the file
 * field. Returns the sentences shown there.
 */
async function refusalShown(office: Office, datasetId: string, response: { statusCode: number; headers: Record<string, unknown> }) {
  assert.equal(response.statusCode, 303);
  assert.equal(response.headers.location, `/admin/datasets/${datasetId}#field-file`);
  return fieldErrors((await office.officer.get(`/admin/datasets/${datasetId}`)).body);
}

async function peakRssGrowthMb<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const result = await work();
    return { result, growthMb: (Math.max(peak, process.memoryUsage().rss) - before) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

test('the column cap is a setting DOIT changes, and a wider table is refused at upload with a sentence', async (t) => {
  const office = await buildOffice(t);
  const refused = await office.admin.post('/admin/settings', settingsForm({ maxTableColumns: 0 }));
  assert.equal(fieldError(refused.body, 'maxTableColumns'), 'Nhập một số cột từ 1 đến 16.384.');
  assert.equal((await office.admin.post('/admin/settings', settingsForm({ maxTableColumns: 3 }))).statusCode, 302);

  const datasetId = await draft(office);
  const wide = await uploadFile(office.officer, office.app, datasetId, { fileName: 'rong.csv', content: 'a,b,c,d\n1,2,3,4\n' });
  assert.deepEqual(await refusalShown(office, datasetId, wide), ['Bảng có hơn 3 cột, vượt quá giới hạn của Cổng. Hãy tách bảng thành nhiều tệp hoặc bỏ bớt cột rồi tải lên lại.']);
  assert.equal((await storedResources(office, datasetId)).length, 0, 'nothing is stored');

  const fits = await uploadFile(office.officer, office.app, datasetId, { fileName: 'vua.csv', content: 'a,b,c\n1,2,3\n' });
  assert.equal(fits.statusCode, 302);
});

test('a 1 MB CSV with 250,000 columns is refused at upload with a sentence', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draft(office);
  const header = Array.from({ length: 250_000 }, (_, i) => `c${i % 10}`).join(',');
  const response = await uploadFile(office.officer, office.app, datasetId, { fileName: 'rong.csv', content: `${header}\n${header}\n` });
  assert.match((await refusalShown(office, datasetId, response))[0], /^Bảng có hơn 1000 cột/);
});

test('an XLSX with 1.5 million shared strings is refused at upload with a sentence, memory staying under 200 MB', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draft(office);
  const bomb = sharedStringsBomb(1_500_000);
  const { result: response, growthMb } = await peakRssGrowthMb(() =>
    uploadFile(office.officer, office.app, datasetId, { fileName: 'bom.xlsx', content: bomb, contentType: xlsxType }),
  );
  assert.match((await refusalShown(office, datasetId, response))[0], /^Tệp Excel chứa hơn 1000000 chuỗi văn bản/);
  assert.ok(growthMb < 200, `RSS grew by ${growthMb.toFixed(0)} MB`);
  assert.equal((await storedResources(office, datasetId)).length, 0);
});

test('a wide workbook (A1 and XFD1, then 200,000 rows) is refused at upload with a sentence, memory staying under 200 MB', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draft(office);
  const { result: response, growthMb } = await peakRssGrowthMb(() =>
    uploadFile(office.officer, office.app, datasetId, { fileName: 'rong.xlsx', content: wideWorkbook(200_000), contentType: xlsxType }),
  );
  assert.match((await refusalShown(office, datasetId, response))[0], /^Bảng có hơn 1000 cột/);
  assert.ok(growthMb < 200, `RSS grew by ${growthMb.toFixed(0)} MB`);
});
