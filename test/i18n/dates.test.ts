import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDate, formatDateTime } from '../../src/i18n/i18n.ts';

// Seen in a browser: three date styles on the same pages ("1 thg 12, 2026", "02:40:11 1/12/26",
// "2025-09-05"). The portal now has one per language.

test('dates read dd/mm/yyyy in Vietnamese and “5 Sep 2025” in English, whether a day or a moment', () => {
  assert.equal(formatDate('vi', '2025-09-05'), '05/09/2025');
  assert.equal(formatDate('en', '2025-09-05'), '5 Sep 2025');
  assert.equal(formatDate('vi', new Date('2025-09-04T18:30:00Z')), '05/09/2025', 'the day in Vietnam (UTC+7), not in UTC');
});

test('a moment reads with a 24-hour time in the province’s time zone', () => {
  const at = new Date('2026-11-30T19:40:11Z');
  assert.equal(formatDateTime('vi', at), '01/12/2026 02:40');
  assert.equal(formatDateTime('en', at), '1 Dec 2026 02:40');
  assert.equal(formatDateTime('vi', new Date('2026-06-01T08:05:00Z')), '01/06/2026 15:05');
});

test('nothing or nonsense shows as nothing', () => {
  assert.equal(formatDate('vi', null), '');
  assert.equal(formatDateTime('vi', 'not a date'), '');
});
