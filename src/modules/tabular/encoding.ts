import { Transform } from 'node:stream';

/**
 * Encodings we meet in files uploaded by Vietnamese agencies: UTF-8 (with or without the BOM Excel
 * adds), UTF-16 ("Unicode text" saved by Excel) and Windows-1258, the legacy Vietnamese code page.
 * TCVN3/VNI fonts are not encodings TextDecoder knows; such files decode as 1258 and look garbled,
 * which the officer sees in the preview.
 */
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1258';

/** Guess the encoding from the first bytes of a file (8–64 KB is plenty). */
export function detectEncoding(head: Buffer): TextEncodingName {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const utf16 = utf16ByNulPattern(head);
  if (utf16) return utf16;
  return isValidUtf8(head) ? 'utf-8' : 'windows-1258';
}

/**
 * UTF-16 without a BOM: CSV text is mostly ASCII (digits, separators), whose high byte is NUL, so
 * NULs pile up on one parity of the byte positions and almost never on the other.
 */
function utf16ByNulPattern(head: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const length = Math.min(head.length, 4096) & ~1;
  if (length < 4) return undefined;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < length; i += 2) {
    if (head[i] === 0) evenNuls++;
    if (head[i + 1] === 0) oddNuls++;
  }
  const pairs = length / 2;
  if (oddNuls >= pairs * 0.3 && evenNuls <= pairs * 0.05) return 'utf-16le';
  if (evenNuls >= pairs * 0.3 && oddNuls <= pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** Valid UTF-8, ignoring a multi-byte character that the sample cut in the middle. */
function isValidUtf8(head: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, completeUtf8Length(head)));
    return true;
  } catch {
    return false;
  }
}

/** Length of `bytes` without a trailing incomplete UTF-8 sequence. */
function completeUtf8Length(bytes: Buffer): number {
  let lead = bytes.length - 1;
  // Step back over at most 3 continuation bytes (10xxxxxx) to the lead byte.
  while (lead >= 0 && bytes.length - lead <= 3 && (bytes[lead] & 0xc0) === 0x80) lead--;
  if (lead < 0) return bytes.length;
  const byte = bytes[lead];
  const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
  return lead + needed > bytes.length ? lead : bytes.length;
}

// The WHATWG label for each encoding; TextDecoder drops a leading BOM of UTF-8 and UTF-16 itself.
const decoderLabel: Record<TextEncodingName, string> = {
  'utf-8': 'utf-8',
  'utf-8-bom': 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'windows-1258': 'windows-1258',
};

const combiningMark = /\p{M}/u;

/**
 * Where the last base character and its combining marks begin. NFC needs the whole cluster:
 * Windows-1258 writes "ệ" as "ê" + U+0323, which a chunk boundary may separate.
 */
function lastClusterStart(text: string): number {
  let i = text.length;
  while (i > 0 && combiningMark.test(text[i - 1])) i--;
  if (i === 0) return 0;
  const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
  return i >= 2 && isLowSurrogate(text.charCodeAt(i - 1)) ? i - 2 : i - 1;
}

/**
 * Bytes in `encoding` → UTF-8 text in NFC, without a BOM. Safe at any chunk boundary: the
 * TextDecoder keeps split byte sequences, and the last base character with its combining marks is
 * held back until the next chunk, so normalisation always sees whole clusters.
 */
export function createUtf8DecodeStream(encoding: TextEncodingName): Transform {
  const decoder = new TextDecoder(decoderLabel[encoding]);
  let pending = '';
  return new Transform({
    decodeStrings: true,
    transform(chunk: Buffer, _encoding, callback) {
      const text = pending + decoder.decode(chunk, { stream: true });
      const cut = lastClusterStart(text);
      pending = text.slice(cut);
      const ready = text.slice(0, cut);
      callback(null, ready.length > 0 ? Buffer.from(ready.normalize('NFC'), 'utf8') : undefined);
    },
    flush(callback) {
      const rest = (pending + decoder.decode()).normalize('NFC');
      pending = '';
      callback(null, rest.length > 0 ? Buffer.from(rest, 'utf8') : undefined);
    },
  });
}
