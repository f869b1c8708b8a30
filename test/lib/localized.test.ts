import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localized } from '../../src/lib/localized.ts';

// MISSION: Vietnamese is the language of record, English second.

const topic = { nameVi: 'Giáo dục', nameEn: 'Education', descriptionVi: 'Trường học', descriptionEn: '' };

test('a bilingual column reads in the reader’s language', () => {
  assert.equal(localized(topic, 'name', 'vi'), 'Giáo dục');
  assert.equal(localized(topic, 'name', 'en'), 'Education');
});

test('an English text nobody entered falls back to the Vietnamese one', () => {
  assert.equal(localized(topic, 'description', 'en'), 'Trường học');
  assert.equal(localized({ titleVi: 'Cổng', titleEn: null }, 'title', 'en'), 'Cổng');
});
