import assert from 'node:assert/strict';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { buildDataset } from '../../helpers/factories.ts';
import { buildTestApp } from '../../helpers/app.ts';

// Households by year and district, semicolon-separated as Vietnamese Excel writes it.
const households = [
  'Năm;Huyện;Số hộ;Ghi chú',
  '2022;Mai Sơn;1.200;=HYPERLINK("http://evil.example")',
  '2022;Mộc Châu;800;',
  '2023;Mai Sơn;1.300;<script>alert(1)</script>',
  '2023;Mộc Châu;900;',
  '2024;Mai Sơn;1.450;',
].join('\r\n');

async function csvResource(t: Parameters<typeof buildTestApp>[0], content = households, env: Record<string, string> = {}) {
  const testApp = await buildTestApp(t, env);
  const built = await buildDataset(testApp.db, testApp.storage, {
    files: [{ name: 'Số hộ theo huyện', fileName: 'so-ho-theo-huyen.csv', content }],
  });
  const resource = built.resources[0];
  const url = `/dataset/${built.dataset.slug}/resource/${resource.id}`;
  return { ...testApp, built, resource, url };
}

test('the resource page previews the first rows of a CSV with column types', async (t) => {
  const rows = Array.from({ length: 150 }, (_, i) => `${2000 + (i % 25)};Xã ${i};${i * 10};`);
  const { app, url, resource } = await csvResource(t, ['Năm;Xã;Dân số;Ghi chú', ...rows].join('\n'));
  const response = await app.inject({ method: 'GET', url });
  assert.equal(response.statusCode, 200);
  const body = response.body;
  assert.match(body, /Số hộ theo huyện|so-ho-theo-huyen/);
  assert.match(body, /<th scope="col" class="num">Dân số <span class="resource-preview__type">Kiểu: số nguyên<\/span><\/th>/);
  assert.match(body, /<th scope="col">Xã <span class="resource-preview__type">Kiểu: văn bản<\/span><\/th>/);
  assert.match(body, /Xã 99</, 'the 100th row is shown');
  assert.doesNotMatch(body, /Xã 100</, 'the 101st row is not');
  assert.match(body, /Chỉ hiển thị 100 dòng đầu tiên/);
  assert.match(body, new RegExp(resource.sha256 as string), 'the checksum is shown');
  assert.match(body, new RegExp(`${url}/download/so-ho-theo-huyen.csv`));
  assert.match(body, new RegExp(`${url}/convert/xlsx`));
});

test('a chart of yearly totals renders as an accessible SVG', async (t) => {
  const { app, url } = await csvResource(t);
  const response = await app.inject({ method: 'GET', url: `${url}?x=${encodeURIComponent('Năm')}&y=${encodeURIComponent('Số hộ')}&kind=bar` });
  assert.equal(response.statusCode, 200);
  const svg = /<svg[\s\S]*?<\/svg>/.exec(response.body)?.[0];
  assert.ok(svg, 'an inline SVG is on the page');
  assert.match(svg, /role="img"/);
  assert.match(svg, /aria-labelledby="(chart-\w+)-title \1-desc"/);
  assert.match(svg, /<title id="chart-\w+-title">Số hộ theo Năm<\/title>/);
  // Totals per year over the whole file, in file order of years: 2 000, 2 200, 1 450.
  assert.equal((svg.match(/<rect class="chart-bar/g) ?? []).length, 3);
  assert.match(svg, /<title>2022: 2\.000<\/title>/);
  assert.match(svg, /<title>2023: 2\.200<\/title>/);
  assert.match(svg, /thấp nhất 2024 \(1\.450\), cao nhất 2023 \(2\.200\)/);
  assert.doesNotMatch(response.body, /<script>alert/, 'cell text is escaped everywhere');
  assert.match(response.body, /<option value="Năm" selected>/, 'the form keeps the choice');

  const line = await app.inject({ method: 'GET', url: `${url}?x=${encodeURIComponent('Năm')}&y=${encodeURIComponent('Số hộ')}&kind=line` });
  assert.match(line.body, /<polyline class="chart-line"/);
});

test('a chart of an unknown column says so in a sentence', async (t) => {
  const { app, url } = await csvResource(t);
  const unknown = await app.inject({ method: 'GET', url: `${url}?x=${encodeURIComponent('<b>Tỉnh</b>')}&y=${encodeURIComponent('Số hộ')}` });
  assert.equal(unknown.statusCode, 200);
  assert.match(unknown.body, /Tệp không có cột “&lt;b&gt;Tỉnh&lt;\/b&gt;”/);
  assert.doesNotMatch(unknown.body, /<svg class="chart/);

  const text = await app.inject({ method: 'GET', url: `${url}?x=${encodeURIComponent('Năm')}&y=${encodeURIComponent('Huyện')}` });
  assert.equal(text.statusCode, 200);
  assert.match(text.body, /Cột “Huyện” không chứa số/);

  const english = await app.inject({ method: 'GET', url: `${url}?lang=en&x=Nope&y=${encodeURIComponent('Số hộ')}&kind=pie` });
  assert.equal(english.statusCode, 200);
  assert.match(english.body, /The file has no column “Nope”/);
});

test('conversion to JSON/XML/XLSX streams the right type and file name', async (t) => {
  const { app, url } = await csvResource(t);

  const json = await app.inject({ method: 'GET', url: `${url}/convert/json` });
  assert.equal(json.statusCode, 200);
  assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
  assert.match(json.headers['content-disposition'] as string, /^attachment; filename="?so-ho-theo-huyen\.json"?/);
  const records = JSON.parse(json.body);
  assert.equal(records.length, 5);
  assert.deepEqual(records[0], { Năm: 2022, Huyện: 'Mai Sơn', 'Số hộ': 1200, 'Ghi chú': '=HYPERLINK("http://evil.example")' });

  const xml = await app.inject({ method: 'GET', url: `${url}/convert/xml` });
  assert.equal(xml.headers['content-type'], 'application/xml; charset=utf-8');
  assert.match(xml.headers['content-disposition'] as string, /filename="?so-ho-theo-huyen\.xml"?/);
  assert.match(xml.body, /<field name="Huyện">Mộc Châu<\/field>/);
  assert.match(xml.body, /&lt;script&gt;/);

  const csv = await app.inject({ method: 'GET', url: `${url}/convert/csv` });
  assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
  assert.match(csv.body, /^\uFEFFNăm,Huyện,Số hộ,Ghi chú\r\n/, 'a comma-separated copy of a semicolon file');
  assert.match(csv.body, /"'=HYPERLINK\(""http:\/\/evil\.example""\)"/, 'formula cells are neutralised');

  const xlsx = await app.inject({ method: 'GET', url: `${url}/convert/xlsx` });
  assert.equal(xlsx.statusCode, 200);
  assert.equal(xlsx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(xlsx.headers['content-disposition'] as string, /filename="?so-ho-theo-huyen\.xlsx"?/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  assert.equal(sheet.getCell('C2').value, 1200);
  assert.equal(sheet.getCell('D2').value, '=HYPERLINK("http://evil.example")', 'a formula is stored as text, never as a formula');
  assert.equal(sheet.getCell('D2').formula, undefined);

  const unknown = await app.inject({ method: 'GET', url: `${url}/convert/docx` });
  assert.equal(unknown.statusCode, 404);
});

test('an XLSX resource is previewed from its first sheet and converts to CSV', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const workbook = new ExcelJS.Workbook();
  const first = workbook.addWorksheet('Trường học');
  first.addRow(['Tên trường', 'Số học sinh']);
  first.addRow(['THPT Chu Văn Thịnh', 1245]);
  first.addRow(['THPT Tô Hiệu', 980]);
  workbook.addWorksheet('Khác').addRow(['không', 'dùng']);
  const content = Buffer.from(await workbook.xlsx.writeBuffer());
  const built = await buildDataset(db, storage, {
    files: [{ fileName: 'truong.xlsx', content, format: 'XLSX', mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }],
  });
  const url = `/dataset/${built.dataset.slug}/resource/${built.resources[0].id}`;
  const page = await app.inject({ method: 'GET', url });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<td>THPT Tô Hiệu<\/td><td class="num">980<\/td>/);
  assert.doesNotMatch(page.body, /dùng/);
  const csv = await app.inject({ method: 'GET', url: `${url}/convert/csv` });
  assert.equal(csv.body, '\uFEFFTên trường,Số học sinh\r\nTHPT Chu Văn Thịnh,1245\r\nTHPT Tô Hiệu,980\r\n');
});

test('a PDF resource has no preview and no conversions but downloads', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const content = Buffer.from('%PDF-1.4\n% báo cáo\n');
  const built = await buildDataset(db, storage, { files: [{ fileName: 'bao-cao.pdf', content, format: 'PDF', mediaType: 'application/pdf' }] });
  const url = `/dataset/${built.dataset.slug}/resource/${built.resources[0].id}`;
  const page = await app.inject({ method: 'GET', url });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Tệp định dạng PDF không xem trước được/);
  assert.doesNotMatch(page.body, /\/convert\//);
  assert.doesNotMatch(page.body, /id="chart-heading"/);
  for (const format of ['csv', 'json', 'xml', 'xlsx']) {
    const conversion = await app.inject({ method: 'GET', url: `${url}/convert/${format}` });
    assert.equal(conversion.statusCode, 404, format);
  }
  const download = await app.inject({ method: 'GET', url: `${url}/download/bao-cao.pdf` });
  assert.equal(download.statusCode, 200);
  assert.equal(download.headers['content-type'], 'application/pdf');
  assert.deepEqual(download.rawPayload, content);
});

test('a resource of a draft revision is not found', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const built = await buildDataset(db, storage, { published: false, files: [{ content: 'a,b\n1,2\n' }] });
  const url = `/dataset/${built.dataset.slug}/resource/${built.resources[0].id}`;
  for (const path of ['', '/convert/csv', '/convert/json', '/geojson', '/download']) {
    const response = await app.inject({ method: 'GET', url: `${url}${path}` });
    assert.equal(response.statusCode, 404, path || 'page');
  }
  const notUuid = await app.inject({ method: 'GET', url: `/dataset/${built.dataset.slug}/resource/abc` });
  assert.equal(notUuid.statusCode, 404);
});

const places = ['Tên;Vĩ độ;Kinh độ', 'Chợ Mai Sơn;21,1634;104,0931', 'Bến xe Sơn La;21,3256;103,9188'].join('\n');

test('a map appears only when coordinates are found and tiles are configured', async (t) => {
  const tiles = { MAP_TILE_URL: 'https://{s}.tile.example.vn/{z}/{x}/{y}.png', MAP_ATTRIBUTION: '© Bản đồ <thử>' };
  // Coordinates and tiles: a map, Leaflet served locally, the tile host allowed for images only.
  const withTiles = await csvResource(t, places, tiles);
  const page = await withTiles.app.inject({ method: 'GET', url: withTiles.url });
  assert.match(page.body, /id="resource-map"/);
  assert.match(page.body, /data-attribution="© Bản đồ &lt;thử&gt;"/);
  assert.match(page.body, /<script src="\/assets\/leaflet\/leaflet\.js" defer><\/script>/);
  assert.doesNotMatch(page.body, /<script>/, 'no inline script');
  const csp = page.headers['content-security-policy'] as string;
  assert.match(csp, /img-src 'self' data: https:\/\/\*\.tile\.example\.vn/);
  assert.match(csp, /script-src 'self'(;|$)/);
  const geojson = await withTiles.app.inject({ method: 'GET', url: `${withTiles.url}/geojson` });
  assert.equal(geojson.headers['content-type'], 'application/geo+json; charset=utf-8');
  const collection = JSON.parse(geojson.body);
  assert.deepEqual(collection.features[0].geometry.coordinates, [104.0931, 21.1634]);
  assert.equal(collection.features[1].properties['Tên'], 'Bến xe Sơn La');
  const leaflet = await withTiles.app.inject({ method: 'GET', url: '/assets/leaflet/leaflet.js' });
  assert.equal(leaflet.statusCode, 200);
  const mapScript = await withTiles.app.inject({ method: 'GET', url: '/public/js/map.js' });
  assert.equal(mapScript.statusCode, 200);

  // Tiles but no coordinates: no map.
  const noCoordinates = await csvResource(t, households, tiles);
  const plain = await noCoordinates.app.inject({ method: 'GET', url: noCoordinates.url });
  assert.doesNotMatch(plain.body, /id="resource-map"/);
  const noPoints = await noCoordinates.app.inject({ method: 'GET', url: `${noCoordinates.url}/geojson` });
  assert.equal(noPoints.statusCode, 404);

  // Coordinates but no tile server: no map, and the CSP stays 'self'.
  const noTiles = await csvResource(t, places);
  const untiled = await noTiles.app.inject({ method: 'GET', url: noTiles.url });
  assert.doesNotMatch(untiled.body, /id="resource-map"/);
  assert.doesNotMatch(untiled.body, /leaflet/);
  assert.match(untiled.headers['content-security-policy'] as string, /img-src 'self' data:(;|$)/);
});

test('a JSON resource is previewed as a table but has no chart or conversions', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const content = JSON.stringify([{ 'Tên': 'Trạm y tế Nhơn Bình', 'Số giường': 12 }, { 'Tên': 'Trạm y tế Ghềnh Ráng', 'Số giường': 8 }]);
  const built = await buildDataset(db, storage, { files: [{ fileName: 'tram-y-te.json', content, format: 'JSON', mediaType: 'application/json' }] });
  const url = `/dataset/${built.dataset.slug}/resource/${built.resources[0].id}`;
  const page = await app.inject({ method: 'GET', url });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<td>Trạm y tế Ghềnh Ráng<\/td><td class="num">8<\/td>/);
  assert.doesNotMatch(page.body, /\/convert\//);
  assert.equal((await app.inject({ method: 'GET', url: `${url}/convert/csv` })).statusCode, 404);
});
