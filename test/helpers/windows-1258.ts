/**
 * Windows-1258, by hand: it has the base letters â ă ê ô ơ ư đ as single bytes, and the five tones
 * as combining marks after the letter (U+0300 grave 0xCC, U+0301 acute 0xEC, U+0303 tilde 0xDE,
 * U+0309 hook 0xD2, U+0323 dot below 0xF2). "ệ" is written ê + dot below.
 */
export function toWindows1258(text: string): Buffer {
  const letters: Record<string, number> = { â: 0xe2, Â: 0xc2, ă: 0xe3, Ă: 0xc3, ê: 0xea, Ê: 0xca, ô: 0xf4, Ô: 0xd4, ơ: 0xf5, Ơ: 0xd5, ư: 0xfd, Ư: 0xdd, đ: 0xf0, Đ: 0xd0 };
  const tones: Record<string, number> = { '\u0300': 0xcc, '\u0301': 0xec, '\u0303': 0xde, '\u0309': 0xd2, '\u0323': 0xf2 };
  const bytes: number[] = [];
  for (const char of text.normalize('NFC')) {
    // Split the tone off, keep the base letter (with its circumflex, breve or horn) whole.
    const decomposed = char.normalize('NFD');
    const tone = [...decomposed].find((mark) => mark in tones);
    const base = (tone ? decomposed.replace(tone, '') : decomposed).normalize('NFC');
    if (base in letters) bytes.push(letters[base]);
    else if (base.length === 1 && base.charCodeAt(0) < 0x80) bytes.push(base.charCodeAt(0));
    else throw new Error(`no Windows-1258 byte for ${base}`);
    if (tone) bytes.push(tones[tone]);
  }
  return Buffer.from(bytes);
}
