import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessPeriods, vietnamDay } from '../../../src/modules/catalogue/deadlines.ts';
import { createRng } from '../../../src/modules/demo/rng.ts';
import {
  assessQuality,
  isOpenLicence,
  opennessStars,
  type QualityCriterion,
  type QualityInput,
  updatedOnTime,
} from '../../../src/modules/quality/quality.criteria.ts';

const grace = { weekly: 3, monthly: 10, quarterly: 15, half_yearly: 30, yearly: 45 };
const now = new Date('2026-11-30T03:00:00Z');

/** A dataset that meets every criterion; each test changes one thing. */
function good(overrides: Partial<QualityInput> = {}): QualityInput {
  return {
    licence: '',
    temporalCoverage: '2020–2026',
    spatialCoverage: 'Toàn tỉnh Bình Định',
    description: 'Danh sách các trường mầm non, tiểu học và trung học cơ sở trên địa bàn tỉnh, gồm tên, địa chỉ, loại hình và số học sinh mỗi năm học.',
    updateFrequency: 'quarterly',
    entryFrequency: 'quarterly',
    firstPublishedAt: new Date('2026-01-05T02:00:00Z'),
    publishedAt: ['2026-01-05', '2026-04-03', '2026-07-02', '2026-10-05'].map((day) => new Date(`${day}T02:00:00Z`)),
    resources: [
      { id: 'a', name: 'Danh sách trường', format: 'CSV', description: 'Mỗi dòng một trường.', url: null, linkCheck: null },
      { id: 'b', name: 'Bản đồ', format: 'GeoJSON', description: 'Vị trí các trường.', url: 'https://gis.example.vn/truong.geojson', linkCheck: { ok: true, status: 200 } },
    ],
    grace,
    now,
    ...overrides,
  };
}

function passes(input: QualityInput, criterion: QualityCriterion) {
  return assessQuality(input).checks.find((check) => check.criterion === criterion)!.passed;
}

test('a dataset meeting every uData criterion scores 100%', () => {
  const result = assessQuality(good());
  assert.deepEqual([result.passed, result.total, result.score], [9, 9, 100]);
});

test('quality criterion "licence": the province\'s terms or an open licence pass; a non-commercial or unknown licence fails', () => {
  for (const licence of ['', 'CC BY 4.0', 'CC0', 'ODbL', 'Giấy phép dữ liệu mở']) assert.equal(passes(good({ licence }), 'licence'), true, licence);
  for (const licence of ['CC BY-NC 4.0', 'CC BY-ND', 'Bản quyền thuộc Sở', 'Chỉ dùng nội bộ']) assert.equal(passes(good({ licence }), 'licence'), false, licence);
  assert.equal(isOpenLicence('Creative Commons Attribution'), true);
});

test('quality criterion "temporal coverage": passes when stated, fails when empty', () => {
  assert.equal(passes(good(), 'temporal_coverage'), true);
  assert.equal(passes(good({ temporalCoverage: '  ' }), 'temporal_coverage'), false);
});

test('quality criterion "spatial coverage": passes when stated, fails when empty', () => {
  assert.equal(passes(good(), 'spatial_coverage'), true);
  assert.equal(passes(good({ spatialCoverage: '' }), 'spatial_coverage'), false);
});

test('quality criterion "frequency set": passes when set as the catalogue entry says, fails when it differs from the entry', () => {
  assert.equal(passes(good(), 'frequency'), true);
  assert.equal(passes(good({ entryFrequency: null, updateFrequency: 'irregular' }), 'frequency'), true, 'outside the catalogue any frequency is set');
  assert.equal(passes(good({ updateFrequency: 'yearly' }), 'frequency'), false);
  assert.equal(passes(good({ updateFrequency: null, entryFrequency: null }), 'frequency'), false);
});

test('quality criterion "updated on time" (Art. 8.4): passes when the last closed period was updated, fails when it was missed', () => {
  assert.equal(passes(good(), 'updated_on_time'), true);
  const missedQ4 = good({ publishedAt: good().publishedAt.slice(0, 3), now: new Date('2026-11-30T03:00:00Z') });
  assert.equal(passes(missedQ4, 'updated_on_time'), false, 'Q4 closed on 15 October with nothing published');
  const openWindow = good({ publishedAt: good().publishedAt.slice(0, 3), now: new Date('2026-10-10T03:00:00Z') });
  assert.equal(passes(openWindow, 'updated_on_time'), true, 'Q4 is still open on 10 October');
  assert.equal(passes(good({ updateFrequency: 'irregular', entryFrequency: 'irregular', publishedAt: [] }), 'updated_on_time'), true, '"when it changes" has no deadline');
});

test('quality criterion "description": 100 characters pass, 99 fail', () => {
  assert.equal(passes(good({ description: 'ạ'.repeat(100) }), 'description'), true, 'Vietnamese letters count as one character each');
  assert.equal(passes(good({ description: 'ạ'.repeat(99) }), 'description'), false);
});

test('quality criterion "open machine-readable format": one CSV, JSON or XML passes; only XLSX and PDF fail', () => {
  assert.equal(passes(good(), 'open_format'), true);
  const closed = good().resources.map((resource, index) => ({ ...resource, format: index === 0 ? 'XLSX' : 'PDF' }));
  assert.equal(passes(good({ resources: closed }), 'open_format'), false);
  assert.equal(passes(good({ resources: [] }), 'open_format'), false);
});

test('quality criterion "links reachable": passes when every checked link answered, fails when one did not', () => {
  assert.equal(passes(good(), 'links_reachable'), true);
  const broken = good().resources.map((resource) => (resource.url ? { ...resource, linkCheck: { ok: false, status: 404 } } : resource));
  const result = assessQuality(good({ resources: broken }));
  assert.equal(result.checks.find((check) => check.criterion === 'links_reachable')!.passed, false);
  assert.deepEqual(result.brokenLinks, [{ name: 'Bản đồ', url: 'https://gis.example.vn/truong.geojson', status: 404 }]);
});

test('quality criterion "resources documented": passes when every resource has a description, fails when one has none', () => {
  assert.equal(passes(good(), 'resources_documented'), true);
  const undocumented = good().resources.map((resource, index) => (index === 1 ? { ...resource, description: '' } : resource));
  assert.equal(passes(good({ resources: undocumented }), 'resources_documented'), false);
  assert.equal(passes(good({ resources: [] }), 'resources_documented'), false);
});

test('five-star openness: no open licence 0, PDF 1, XLSX 2, CSV 3, RDF 4; five stars is never guessed from a format', () => {
  assert.deepEqual(['PDF', 'XLSX', 'CSV', 'ttl'].map((format) => opennessStars(format, true)), [1, 2, 3, 4]);
  assert.equal(opennessStars('CSV', false), 0);
  const result = assessQuality(good({ licence: 'CC BY-NC' }));
  assert.deepEqual(result.resources.map((resource) => resource.stars), [0, 0]);
  assert.equal(assessQuality(good()).stars, 3);
});

test('"updated on time" judges the last closed period the same as when every period since the first publication was assessed', () => {
  const rng = createRng(2026);
  const frequencies = ['weekly', 'monthly', 'quarterly', 'half_yearly', 'yearly'] as const;
  const dayMs = 86_400_000;
  for (let i = 0; i < 3_000; i++) {
    const updateFrequency = frequencies[rng.int(0, frequencies.length - 1)];
    const now = new Date(Date.UTC(2026, 0, 1) + rng.int(0, 700) * dayMs + rng.int(0, 23) * 3_600_000);
    const firstPublishedAt = new Date(now.getTime() - rng.int(0, 3_000) * dayMs);
    const publishedAt = [firstPublishedAt, ...Array.from({ length: rng.int(0, 12) }, () => new Date(now.getTime() - rng.int(0, 400) * dayMs))].filter((at) => at >= firstPublishedAt);
    const everyPeriod = assessPeriods({ frequency: updateFrequency, grace, publishedOn: publishedAt.map(vietnamDay), since: vietnamDay(firstPublishedAt), today: vietnamDay(now) });
    const expected = everyPeriod.filter((period) => period.status !== 'open').at(-1)?.status !== 'overdue';
    assert.equal(updatedOnTime({ updateFrequency, firstPublishedAt, publishedAt, grace, now }), expected, JSON.stringify({ updateFrequency, now, firstPublishedAt, publishedAt }));
  }
});
