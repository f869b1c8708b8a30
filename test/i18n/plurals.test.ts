import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../src/i18n/i18n.ts';

// Seen on the English pages: "1 datasets". Plural messages now follow Intl.PluralRules.

test('English counts take the singular for one and the plural otherwise', () => {
  const t = translator('en');
  assert.equal(t('datasets.count', { count: 1 }), '1 dataset');
  assert.equal(t('datasets.count', { count: 0 }), '0 datasets');
  assert.equal(t('datasets.count', { count: 2 }), '2 datasets');
  assert.equal(t('datasets.count', { count: '1,234' }), '1,234 datasets', 'a count already formatted is read by its digits');
  assert.equal(t('topics.dataset_count', { count: '1' }), '1 dataset');
});

test('Vietnamese has one form for every count', () => {
  const t = translator('vi');
  assert.equal(t('datasets.count', { count: 1 }), '1 tập dữ liệu');
  assert.equal(t('datasets.count', { count: 21 }), '21 tập dữ liệu');
});

test('a plural message without a count shows its general form', () => {
  assert.equal(translator('en')('datasets.count'), '{count} datasets');
});
