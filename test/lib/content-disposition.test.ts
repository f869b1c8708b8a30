import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'content-disposition';
import { attachmentDisposition } from '../../src/lib/content-disposition.ts';

test('an attachment header with an apostrophe reads back as the same name', () => {
  const header = attachmentDisposition("Dân số's.csv");
  assert.equal(parse(header).parameters.filename, "Dân số's.csv");
  assert.match(header, /%27s\.csv$/, "the apostrophe is percent-encoded in filename*, where ' is a delimiter");
});

test('an ASCII name is sent as it is, without an encoded copy', () => {
  assert.equal(attachmentDisposition("it's.csv"), "attachment; filename=it's.csv");
  assert.equal(parse(attachmentDisposition('a "quoted" name.csv')).parameters.filename, 'a "quoted" name.csv');
});
