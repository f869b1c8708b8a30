import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toWindows1258 } from '../../helpers/windows-1258.ts';
import { buildOffice, decodeHtml, downloadLinks, publishThroughFlow } from '../datasets/publishing-helpers.ts';

// Seen in a browser: the main download served UTF-8 without a BOM, which Excel on Windows opens as
// garbled Vietnamese; "tệp gốc" of a re-encoded upload was not the original bytes; decimal commas
// became numbers in JSON/XLSX but stayed strings in the CSV and XML conversions.

const publicUrl = '/dataset/danh-sach-truong-trung-hoc-pho-thong';
const bom = [0xef, 0xbb, 0xbf];

async function publishedFile(t: Parameters<typeof buildOffice>[0], fileName: string, content: Buffer | string) {
  const office = await buildOffice(t);
  await publishThroughFlow(office, {}, { fileName, content });
  const page = await office.app.inject({ url: publicUrl });
  const [link] = downloadLinks(page.body);
  const resourcePage = await office.app.inject({ url: link.replace(/\/download\/.*$/, '') });
  return { office, link, resourcePage };
}

test('the first download of a CSV opens in Excel: it starts with one UTF-8 byte-order mark', async (t) => {
  const csv = 'Tên trường,Huyện\r\nTHPT Quốc Học,Quy Nhơn\r\n';
  const { office, link } = await publishedFile(t, 'truong.csv', csv);
  const download = await office.app.inject({ url: link });
  assert.equal(download.statusCode, 200);
  assert.deepEqual([...download.rawPayload.subarray(0, 3)], bom);
  assert.equal(download.rawPayload.subarray(3).toString('utf8'), csv);
  assert.equal(Number(download.headers['content-length']), download.rawPayload.length);
});

test('a CSV uploaded with a BOM is downloaded with one BOM, not two', async (t) => {
  const csv = 'Tên trường,Huyện\r\nTHPT Quốc Học,Quy Nhơn\r\n';
  const { office, link } = await publishedFile(t, 'truong.csv', Buffer.concat([Buffer.from(bom), Buffer.from(csv)]));
  const download = await office.app.inject({ url: link });
  assert.deepEqual([...download.rawPayload.subarray(0, 3)], bom);
  assert.notDeepEqual([...download.rawPayload.subarray(3, 6)], bom);
  assert.equal(Number(download.headers['content-length']), download.rawPayload.length);
});

test('the original bytes of a re-encoded upload are downloadable under a name that says what they are', async (t) => {
  const csv = 'Tên đơn vị;Huyện\r\nTrường Tiểu học Nguyễn Huệ;Tây Sơn\r\n';
  const original = toWindows1258(csv);
  const { office, resourcePage } = await publishedFile(t, 'don-vi.csv', original);
  const body = decodeHtml(resourcePage.body);
  assert.match(body, /Tệp gốc đúng như cơ quan tải lên \(bảng mã Windows-1258 \(tiếng Việt cũ\)\)/);
  const href = /href="([^"]+\/original\/[^"]+)"/.exec(resourcePage.body)?.[1];
  assert.ok(href, 'the resource page links the original');
  const download = await office.app.inject({ url: decodeHtml(href) });
  assert.equal(download.statusCode, 200);
  assert.deepEqual(download.rawPayload, original, 'the very bytes that were uploaded');
  assert.match(String(download.headers['content-disposition']), /filename="?don-vi\.goc-windows-1258\.csv"?/);
});

test('a file stored as uploaded offers no “original” link', async (t) => {
  const { resourcePage } = await publishedFile(t, 'truong.csv', 'Tên,Số\r\nA,1\r\n');
  assert.doesNotMatch(resourcePage.body, /\/original\//);
});

test('decimal commas are numbers in every structured download: CSV, XML and JSON agree', async (t) => {
  const csv = 'Xã,Diện tích (km²),Dân số\r\nPhước Thuận,"12,5",1.234\r\nPhước Sơn,"8,25",987\r\nNhơn Hội,"40,75",2.001\r\n';
  const { office, link } = await publishedFile(t, 'xa.csv', csv);
  const base = link.replace(/\/download\/.*$/, '');
  const asCsv = (await office.app.inject({ url: `${base}/convert/csv` })).body.replace(/^\uFEFF/, '');
  assert.match(asCsv, /^Xã,Diện tích \(km²\),Dân số\r\nPhước Thuận,12\.5,1234\r\n/);
  const asXml = (await office.app.inject({ url: `${base}/convert/xml` })).body;
  assert.match(asXml, /<field name="Diện tích \(km²\)">12\.5<\/field><field name="Dân số">1234<\/field>/);
  const asJson = JSON.parse((await office.app.inject({ url: `${base}/convert/json` })).body) as Array<Record<string, unknown>>;
  assert.deepEqual(asJson[0], { Xã: 'Phước Thuận', 'Diện tích (km²)': 12.5, 'Dân số': 1234 });
});
