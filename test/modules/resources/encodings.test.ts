import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildOffice,
  createDraftThroughForm,
  fieldErrors,
  filesOnDisk,
  type Office,
  pageText,
  publishThroughFlow,
  resourcesOfRevision,
  revisionsOf,
  downloadLinks,
  uploadFile,
} from '../datasets/publishing-helpers.ts';
import { toWindows1258 } from '../../helpers/windows-1258.ts';

// Files from Vietnamese agencies come in UTF-8 (with the BOM Excel adds), UTF-16 ("Unicode text")
// and Windows-1258, separated by commas, semicolons or tabs. Through the upload form, each is stored
// as UTF-8 with the right text, the original kept when it was not UTF-8, and previewed in Vietnamese.

const header = ['Tên đơn vị', 'Huyện', 'Số lượng'];
const rows = [
  ['Trường Tiểu học Nguyễn Huệ', 'Tây Sơn', '412'],
  ['Bệnh viện Đa khoa tỉnh', 'Quy Nhơn', '1250'],
  ['Ủy ban nhân dân xã Phước Thuận', 'Tuy Phước', '37'],
];
const table = (delimiter: string) => `${[header, ...rows].map((row) => row.join(delimiter)).join('\r\n')}\r\n`;

async function uploadToPublished(office: Office, fileName: string, content: Buffer) {
  const datasetId = await publishThroughFlow(office, {}, { fileName, content });
  const [revision] = await revisionsOf(office.db, datasetId);
  const [resource] = await resourcesOfRevision(office.db, revision.id);
  const page = await office.app.inject({ url: '/dataset/danh-sach-truong-trung-hoc-pho-thong' });
  const [link] = downloadLinks(page.body);
  const download = await office.app.inject({ url: link });
  const workspace = await office.officer.get(`/admin/datasets/${datasetId}`);
  return { datasetId, resource, download, workspace };
}

function assertVietnamesePreview(body: string) {
  const text = pageText(body);
  for (const cell of [...header, ...rows.flat()]) assert.ok(text.includes(cell), `the preview shows “${cell}”`);
}

function assertUtf8Download(download: { statusCode: number; headers: Record<string, unknown>; rawPayload: Buffer }, expected: string) {
  assert.equal(download.statusCode, 200);
  assert.match(String(download.headers['content-type']), /charset=utf-8/);
  const bytes = download.rawPayload;
  assert.notDeepEqual([...bytes.subarray(0, 2)], [0xff, 0xfe], 'not UTF-16 any more');
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes).replace(/^\uFEFF/, '');
  assert.equal(text.normalize('NFC'), expected);
  assert.equal(text, text.normalize('NFC'), 'stored in NFC');
}

test('a UTF-8 CSV with a BOM downloads as UTF-8 with its Vietnamese text', async (t) => {
  const office = await buildOffice(t);
  const csv = table(',');
  const { resource, download, workspace } = await uploadToPublished(office, 'don-vi.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]));
  assert.equal(resource.format, 'CSV');
  assert.equal(resource.rowCount, 3);
  assert.equal(resource.inspection?.delimiter, ',');
  assertUtf8Download(download, csv);
  assertVietnamesePreview(workspace.body);
});

test('a UTF-16LE CSV with a BOM is stored as UTF-8, its original kept', async (t) => {
  const office = await buildOffice(t);
  const csv = table('\t');
  const original = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]);
  const { resource, download, workspace } = await uploadToPublished(office, 'don-vi.csv', original);
  assert.equal(resource.originalEncoding, 'utf-16le');
  assert.ok(resource.originalStorageKey);
  assert.deepEqual(await office.storage.open(resource.originalStorageKey).then(async (file) => {
    const chunks: Buffer[] = [];
    for await (const chunk of file!.stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }), original);
  assert.equal(resource.inspection?.delimiter, '\t');
  assert.equal(resource.rowCount, 3);
  assertUtf8Download(download, csv);
  assert.match(pageText(workspace.body), /Đã chuyển từ bảng mã UTF-16 \(Unicode, Excel “Unicode Text”\) sang UTF-8/);
  assertVietnamesePreview(workspace.body);
});

test('a Windows-1258 CSV separated by semicolons is stored as UTF-8, its original kept', async (t) => {
  const office = await buildOffice(t);
  const csv = table(';');
  const original = toWindows1258(csv);
  // The bytes really are Windows-1258 for this text, and not valid UTF-8.
  assert.equal(new TextDecoder('windows-1258').decode(original).normalize('NFC'), csv);
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(original));

  const { resource, download, workspace } = await uploadToPublished(office, 'don-vi.csv', original);
  assert.equal(resource.originalEncoding, 'windows-1258');
  assert.equal(resource.inspection?.delimiter, ';');
  assert.equal(resource.rowCount, 3);
  assert.equal(await office.storage.exists(resource.originalStorageKey as string), true);
  assertUtf8Download(download, csv);
  const text = pageText(workspace.body);
  assert.match(text, /Đã chuyển từ bảng mã Windows-1258 \(tiếng Việt cũ\) sang UTF-8/);
  assertVietnamesePreview(workspace.body);
});

test('a tab-separated UTF-8 file named .tsv is inspected as a table without keeping a second copy', async (t) => {
  const office = await buildOffice(t);
  const csv = table('\t');
  const { resource, download, workspace } = await uploadToPublished(office, 'don-vi.tsv', Buffer.from(csv));
  assert.equal(resource.format, 'TSV');
  assert.equal(resource.inspection?.delimiter, '\t');
  assert.equal(resource.rowCount, 3);
  assert.equal(resource.originalStorageKey, null, 'UTF-8 needs no original');
  assert.equal(download.body, csv);
  assertVietnamesePreview(workspace.body);
  assert.deepEqual((await filesOnDisk(office.dataDir)).length, 1);
});

test('a CSV with rows of the wrong length is accepted and the officer is told which rows', async (t) => {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  const csv = 'mã,tên,huyện\n1,Trường A,Quy Nhơn\n2,Trường B\n3,Trường C,An Nhơn,thừa\n';
  const response = await uploadFile(office.officer, office.app, datasetId, { fileName: 'sai-cot.csv', content: csv });
  assert.equal(response.statusCode, 302, fieldErrors(response.body).join(' | '));
  const text = pageText((await office.officer.get(`/admin/datasets/${datasetId}`)).body);
  assert.match(text, /Dòng 3 có 2 cột, trong khi tiêu đề có 3 cột\./);
  assert.match(text, /Dòng 4 có 4 cột, trong khi tiêu đề có 3 cột\./);
});
