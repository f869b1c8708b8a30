import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fold } from '../../src/lib/fold.ts';

// MISSION: people search in Vietnamese with or without accents; one fold serves slugs, search and column names.

test('folding drops tone and vowel marks and writes đ as d, in lower case', () => {
  assert.equal(fold('Sở Giáo dục và Đào tạo'), 'so giao duc va dao tao');
  assert.equal(fold('ĐƯỜNG Quốc lộ 1A'), 'duong quoc lo 1a');
  assert.equal(fold('Ỷ Lan, Ữ, ặ'), 'y lan, u, a');
});

test('text typed in decomposed form (NFD) folds like the same text precomposed', () => {
  const word = 'Nguyễn Thị Ánh';
  assert.equal(fold(word.normalize('NFD')), fold(word.normalize('NFC')));
  assert.equal(fold(word.normalize('NFD')), 'nguyen thi anh');
});

test('ASCII text comes back only lower-cased', () => {
  assert.equal(fold('Hello, World 2026!'), 'hello, world 2026!');
});

test('đ with a combining mark after it (typed in decomposed form) still folds to d', () => {
  assert.equal(fold('Đ\u0301ồng đ\u0323'), 'dong d');
  assert.equal(fold('Ðiều chỉnh'.normalize('NFD')), 'dieu chinh');
});

test('characters outside the basic plane pass whole, between folded letters', () => {
  assert.equal(fold('Đà 😀 Nẵng'), 'da 😀 nang');
});
