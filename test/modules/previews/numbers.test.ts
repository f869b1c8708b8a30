import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guessNumberStyle, parseCoordinate, parseNumber } from '../../../src/modules/previews/numbers.ts';

test('numbers are read in the Vietnamese and the English style', () => {
  assert.equal(parseNumber('1.234.567,5', 'vi'), 1_234_567.5);
  assert.equal(parseNumber('1,234,567.5', 'en'), 1_234_567.5);
  assert.equal(parseNumber('-12,5', 'vi'), -12.5);
  assert.equal(parseNumber('1.234', 'vi'), 1234);
  assert.equal(parseNumber('1.234', 'en'), 1.234);
  assert.equal(parseNumber(' 42 '), 42);
  assert.equal(parseNumber('12 ha'), undefined);
  assert.equal(parseNumber('1.2.3,4.5'), undefined);
});

test('the style of a column is taken from the values that prove it', () => {
  assert.equal(guessNumberStyle(['1.234', '2.500', '3,5']), 'vi');
  assert.equal(guessNumberStyle(['1,234', '10.25']), 'en');
  assert.equal(guessNumberStyle(['12,500', '3,000']), 'en', 'a lone comma before three digits groups thousands');
  assert.equal(guessNumberStyle(['12.500', '3.000']), 'vi');
  assert.equal(guessNumberStyle([]), 'vi');
});

test('coordinates are decimal degrees with a point or a comma', () => {
  assert.equal(parseCoordinate('21,0285'), 21.0285);
  assert.equal(parseCoordinate('-105.8'), -105.8);
  assert.equal(parseCoordinate('2.356.789'), undefined);
  assert.equal(parseCoordinate('2356789.12'), undefined);
});
