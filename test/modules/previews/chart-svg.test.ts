import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregateForChart, niceTicks, renderChartSvg } from '../../../src/modules/previews/chart-svg.ts';
import { streamOf } from './fixtures.ts';

const base = { xLabel: 'Huyện', yLabel: 'Dân số (người)', locale: 'vi' as const };

test('a bar chart escapes labels and has an accessible title', () => {
  const svg = renderChartSvg({
    ...base,
    kind: 'bar',
    title: 'Dân số <2023> & "dự báo"',
    points: [
      { x: '<script>alert(1)</script>', y: 1200 },
      { x: 'Mộc Châu', y: 115_000 },
    ],
  });
  assert.match(svg, /^<svg [^>]*role="img"/);
  const id = /aria-labelledby="([^" ]+)-title \1-desc"/.exec(svg)?.[1];
  assert.ok(id, 'labelled by its title and description');
  assert.ok(svg.includes(`<title id="${id}-title">Dân số &lt;2023&gt; &amp; &quot;dự báo&quot;</title>`));
  assert.match(svg, new RegExp(`<desc id="${id}-desc">Biểu đồ cột Dân số \\(người\\) theo Huyện: 2 giá trị`));
  assert.ok(!svg.includes('<script'), 'no markup from the data');
  assert.ok(svg.includes('&lt;script&gt;'));
  assert.ok(svg.includes('115.000'), 'Vietnamese number formatting');
  assert.ok(!/\sstyle=/.test(svg), 'no inline style (CSP)');
  assert.equal((svg.match(/<rect /g) ?? []).length, 2);
});

test('a chart without data says so', () => {
  const svg = renderChartSvg({ ...base, kind: 'line', title: 'Trống', points: [], locale: 'en' });
  assert.ok(svg.includes('No data to chart'));
  assert.ok(!svg.includes('<polyline'));
});

test('a bar chart of many values shows the first fifty with a note', () => {
  const points = Array.from({ length: 120 }, (_, i) => ({ x: `Bản Hua Nà Phiêng số ${i}`, y: i }));
  const svg = renderChartSvg({ ...base, kind: 'bar', title: 'Bản', points });
  assert.equal((svg.match(/<rect /g) ?? []).length, 50);
  assert.ok(svg.includes('Chỉ hiển thị 50 giá trị đầu tiên trong tổng số 120.'));
  assert.ok(svg.includes('rotate(-45'), 'long labels are rotated');
  assert.ok(svg.includes('…'), 'and shortened');
});

test('negative values are drawn below the zero line', () => {
  const svg = renderChartSvg({
    ...base,
    kind: 'bar',
    title: 'Tăng dân số',
    locale: 'en',
    points: [
      { x: '2022', y: 1500.5 },
      { x: '2023', y: -800 },
    ],
  });
  assert.equal((svg.match(/chart-bar-negative/g) ?? []).length, 1);
  assert.ok(svg.includes('1,500.5'), 'English number formatting in the tooltip');
  assert.ok(svg.includes('>-1,000<'), 'a tick below zero');
});

test('axis ticks are round numbers', () => {
  assert.deepEqual(niceTicks(0, 115_000), [0, 20_000, 40_000, 60_000, 80_000, 100_000, 120_000]);
  assert.deepEqual(niceTicks(-0.3, 0.7), [-0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8]);
});

const population = [
  'Năm,Huyện,Dân số,Ghi chú',
  '2022,Mộc Châu,"115.208",',
  '2022,Yên Châu,"80.467,5",',
  '2021,Mộc Châu,"113.000",',
  '2021,Yên Châu,,chưa có số liệu',
  '2021,Sông Mã,"150.100",',
  ',Vân Hồ,"1.000",thiếu năm',
].join('\n');

test('totals by year are summed across districts', async () => {
  const result = await aggregateForChart(streamOf(population), 'Năm', 'Dân số');
  assert.deepEqual(result, {
    points: [
      { x: '2021', y: 263_100 },
      { x: '2022', y: 195_675.5 },
    ],
    skippedRows: 2,
  });
});

test('English number formats are summed too', async () => {
  const csv = 'Year,District,Revenue\n2023,A,"1,234.5"\n2023,B,"2,000"\n2024,A,10.25\n';
  const result = await aggregateForChart(streamOf(csv), 'year', 'Revenue');
  assert.deepEqual(result.points, [
    { x: '2023', y: 3234.5 },
    { x: '2024', y: 10.25 },
  ]);
});

test('a chart of an unknown column says so', async () => {
  const input = streamOf(population);
  const result = await aggregateForChart(input, 'Năm', 'Diện tích');
  assert.deepEqual(result, { points: [], skippedRows: 0, error: 'unknown_column' });
  assert.equal(input.destroyed, true);
});

test('a chart of a text column says it is not numeric', async () => {
  const result = await aggregateForChart(streamOf(population), 'Năm', 'Huyện');
  assert.equal(result.error, 'not_numeric');
});

test('the number of points kept is bounded', async () => {
  const rows = Array.from({ length: 30 }, (_, i) => `Bản ${i},${i}`).join('\n');
  const result = await aggregateForChart(streamOf(`Bản,Số hộ\n${rows}\n`), 'Bản', 'Số hộ', { maxPoints: 10 });
  assert.equal(result.points.length, 10);
  assert.equal(result.skippedRows, 20);
  assert.equal(result.truncated, true);
});
