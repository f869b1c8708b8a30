import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { createUtf8DecodeStream, detectEncoding, type TextEncodingName } from '../../../src/modules/tabular/encoding.ts';

async function decode(encoding: TextEncodingName, chunks: Buffer[]): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of Readable.from(chunks).pipe(createUtf8DecodeStream(encoding))) parts.push(part);
  return Buffer.concat(parts).toString('utf8');
}

/** One chunk per byte: the worst case for split characters and split clusters. */
const byteByByte = (bytes: Buffer) => [...bytes].map((byte) => Buffer.from([byte]));

// "Tiếng Việt" as Windows-1258 writes it: ê (0xEA) followed by a combining acute (0xEC) or dot below (0xF2).
const tiengViet1258 = Buffer.from([0x54, 0x69, 0xea, 0xec, 0x6e, 0x67, 0x20, 0x56, 0x69, 0xea, 0xf2, 0x74]);

test('the Windows-1258 fixture decodes to decomposed Vietnamese', () => {
  const decoded = new TextDecoder('windows-1258').decode(tiengViet1258);
  assert.equal(decoded, 'Ti\u00ea\u0301ng Vi\u00ea\u0323t');
  assert.equal(decoded.normalize('NFC'), 'Tiếng Việt');
});

test('a UTF-8 file with a BOM is read without the BOM', async () => {
  const bytes = Buffer.from('\uFEFFMã,Tên\n', 'utf8');
  assert.equal(detectEncoding(bytes), 'utf-8-bom');
  assert.equal(await decode('utf-8-bom', [bytes]), 'Mã,Tên\n');
  assert.equal(await decode('utf-8-bom', byteByByte(bytes)), 'Mã,Tên\n');
});

test('a UTF-8 character cut at the end of the sample still counts as UTF-8', () => {
  const bytes = Buffer.from('Thành phố Quy Nhơn', 'utf8');
  assert.equal(detectEncoding(bytes.subarray(0, bytes.length - 1)), 'utf-8'); // "ơ" is 2 bytes, then "n"
  const cut = Buffer.from('Hà Nội', 'utf8');
  assert.equal(detectEncoding(cut.subarray(0, cut.length - 2)), 'utf-8'); // inside "ộ" (3 bytes)
});

test('a UTF-16LE file is decoded', async () => {
  const withBom = Buffer.from('\uFEFFMã,Tên\r\n1,Hà Nội\r\n', 'utf16le');
  assert.equal(detectEncoding(withBom), 'utf-16le');
  assert.equal(await decode('utf-16le', byteByByte(withBom)), 'Mã,Tên\r\n1,Hà Nội\r\n');

  const withoutBom = Buffer.from('Mã,Tên\r\n1,Hà Nội\r\n', 'utf16le');
  assert.equal(detectEncoding(withoutBom), 'utf-16le');
  assert.equal(await decode('utf-16le', [withoutBom]), 'Mã,Tên\r\n1,Hà Nội\r\n');
});

test('a UTF-16BE file is decoded', async () => {
  const bytes = Buffer.from('\uFEFFSố,Tỉnh\n1,Bình Định\n', 'utf16le').swap16();
  assert.equal(detectEncoding(bytes), 'utf-16be');
  assert.equal(await decode('utf-16be', byteByByte(bytes)), 'Số,Tỉnh\n1,Bình Định\n');
  assert.equal(detectEncoding(Buffer.from('Số,Tỉnh\n1,2\n', 'utf16le').swap16()), 'utf-16be');
});

test('a Windows-1258 file becomes NFC UTF-8', async () => {
  assert.equal(detectEncoding(tiengViet1258), 'windows-1258');
  const whole = await decode('windows-1258', [tiengViet1258]);
  assert.equal(whole, 'Tiếng Việt');
  assert.equal(whole, whole.normalize('NFC'));
  // A chunk boundary between "ê" and its tone mark must not leave the mark uncomposed.
  assert.equal(await decode('windows-1258', byteByByte(tiengViet1258)), 'Tiếng Việt');
});

test('plain ASCII is UTF-8', () => {
  assert.equal(detectEncoding(Buffer.from('a,b\n1,2\n')), 'utf-8');
  assert.equal(detectEncoding(Buffer.alloc(0)), 'utf-8');
});
