import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectCoordinateColumns, toGeoJson } from '../../../src/modules/previews/geo.ts';
import { previewCsv } from '../../../src/modules/previews/table-preview.ts';
import { streamOf } from './fixtures.ts';

const health = [
  'Tên cơ sở,Địa chỉ,Vĩ độ,Kinh độ',
  'Trạm y tế xã Chiềng Mung,Mai Sơn,"21,1853","104,0642"',
  'Bệnh viện Đa khoa tỉnh,Thành phố Sơn La,21.3256,103.9188',
  'Trạm y tế xã Mường Bú,Mường La,,',
  'Trạm y tế chưa định vị,Sốp Cộp,abc,0',
].join('\n');

test('latitude and longitude columns named in Vietnamese are detected', async () => {
  const preview = await previewCsv(streamOf(health));
  assert.deepEqual(detectCoordinateColumns(preview.columns, preview.rows), { lat: 'Vĩ độ', lon: 'Kinh độ' });
});

test('x and y columns are oriented by their values', () => {
  const columns = [
    { name: 'Tên', type: 'text' as const },
    { name: 'X', type: 'number' as const },
    { name: 'Y', type: 'number' as const },
  ];
  // Here X holds the latitude (as in Vietnamese survey tables).
  const rows = [
    ['Bản Mòng', '21.31', '103.95'],
    ['Bản Hìn', '21.30', '103.90'],
  ];
  assert.deepEqual(detectCoordinateColumns(columns, rows), { lat: 'X', lon: 'Y' });
});

test('coordinates out of range are not taken for a map', () => {
  const columns = [
    { name: 'Tên thửa', type: 'text' as const },
    { name: 'Toạ độ X', type: 'number' as const },
    { name: 'Toạ độ Y', type: 'number' as const },
  ];
  // VN-2000 metres, not degrees.
  const rows = [
    ['Thửa 12', '2356789.12', '512345.67'],
    ['Thửa 13', '2356801.40', '512399.02'],
  ];
  assert.equal(detectCoordinateColumns(columns, rows), null);
  const swapped = [
    { name: 'lat', type: 'number' as const },
    { name: 'lon', type: 'number' as const },
  ];
  assert.equal(detectCoordinateColumns(swapped, [['103.9', '21.3']]), null);
});

test('columns without coordinate names are not taken for a map', () => {
  const columns = [
    { name: 'Năm', type: 'integer' as const },
    { name: 'Tỷ lệ', type: 'number' as const },
  ];
  assert.equal(detectCoordinateColumns(columns, [['21', '105.2']]), null);
});

test('a GeoJSON map has one point per located row with the other columns as properties', async () => {
  const result = await toGeoJson(streamOf(health), 'Vĩ độ', 'Kinh độ');
  assert.equal(result.skippedRows, 2);
  assert.equal(result.truncated, false);
  const [first] = result.featureCollection.features;
  assert.deepEqual(first.geometry, { type: 'Point', coordinates: [104.0642, 21.1853] });
  assert.deepEqual({ ...first.properties }, { 'Tên cơ sở': 'Trạm y tế xã Chiềng Mung', 'Địa chỉ': 'Mai Sơn' });
  assert.equal(JSON.parse(JSON.stringify(result.featureCollection)).type, 'FeatureCollection');
});

test('a GeoJSON map stops at the maximum number of points', async () => {
  const rows = Array.from({ length: 50 }, (_, i) => `Điểm ${i},21.${i},104.${i}`).join('\n');
  const input = streamOf(`Tên,lat,lng\n${rows}\n`);
  const result = await toGeoJson(input, 'lat', 'lng', { maxFeatures: 10 });
  assert.equal(result.featureCollection.features.length, 10);
  assert.equal(result.truncated, true);
  assert.equal(input.destroyed, true);
});

test('a GeoJSON map of an unknown column says so', async () => {
  const result = await toGeoJson(streamOf(health), 'vĩ độ (WGS84)', 'Kinh độ');
  assert.equal(result.error, 'unknown_column');
});
