import assert from 'node:assert/strict';
import { test } from 'node:test';
import { excerpt } from '../../src/lib/text.ts';
import { createRng } from '../../src/modules/demo/rng.ts';

/** The rule before excerpts read only a prefix: flatten the whole text, then cut. */
function wholeTextExcerpt(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length).replace(/\s+\S*$/, '')}…`;
}

test('an excerpt is the text on one line, cut at a word with an ellipsis', () => {
  assert.equal(excerpt('Danh sách\n\ntrường   học', 200), 'Danh sách trường học');
  assert.equal(excerpt('Số liệu dân số theo từng huyện', 16), 'Số liệu dân số…');
});

test('an excerpt of a long description reads the same as one cut from the whole text', () => {
  const { next } = createRng(11);
  const pieces = ['dữ liệu', ' ', '  ', '\n', '\t', 'trường', 'học', 'x'.repeat(30)];
  for (let i = 0; i < 2_000; i++) {
    const whitespaceHeavy = i % 5 === 0;
    let text = '';
    const n = Math.floor(next() * 400);
    for (let j = 0; j < n; j++) text += whitespaceHeavy && next() < 0.8 ? ' '.repeat(1 + Math.floor(next() * 20)) : pieces[Math.floor(next() * pieces.length)];
    const length = [20, 180, 200][i % 3];
    assert.equal(excerpt(text, length), wholeTextExcerpt(text, length), JSON.stringify(text));
  }
});
