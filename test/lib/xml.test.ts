import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeXml } from '../../src/lib/xml.ts';

test('XML escaping writes the five special characters as entities', () => {
  assert.equal(escapeXml(`<a href="x">Tom & Jerry's</a>`), '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
});

test('XML escaping keeps line breaks and tabs through attribute normalisation', () => {
  assert.equal(escapeXml('a\tb\nc\rd'), 'a&#9;b&#10;c&#13;d');
});

test('characters XML 1.0 cannot carry are dropped, Vietnamese letters and emoji kept', () => {
  assert.equal(escapeXml(`Hà${String.fromCharCode(0)} Nội${String.fromCharCode(0x1b)} 🌾\uFFFE`), 'Hà Nội 🌾');
});
