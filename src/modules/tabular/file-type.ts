import { detectEncoding, type TextEncodingName } from './encoding.ts';

/** Formats the portal recognises from the content of a file. */
export type FileFormat =
  | 'CSV'
  | 'TSV'
  | 'TXT'
  | 'JSON'
  | 'GEOJSON'
  | 'XML'
  | 'KML'
  | 'HTML'
  | 'PDF'
  | 'ZIP'
  | 'XLSX'
  | 'XLS'
  | 'ODS'
  | 'DOCX'
  | 'DOC';

export type DetectedFileType = {
  format: FileFormat;
  mediaType: string;
  /** Only for text formats. */
  encoding?: TextEncodingName;
};

export type FileTypeError = {
  error: 'mismatch' | 'unknown' | 'empty';
  /** The format the file name promises. */
  expected?: FileFormat;
  /** The format the content shows. */
  detected?: FileFormat;
};

/** How many bytes of the head to pass to detectFileType. */
export const FILE_TYPE_HEAD_BYTES = 8192;

export const mediaTypes: Record<FileFormat, string> = {
  CSV: 'text/csv',
  TSV: 'text/tab-separated-values',
  TXT: 'text/plain',
  JSON: 'application/json',
  GEOJSON: 'application/geo+json',
  XML: 'application/xml',
  KML: 'application/vnd.google-earth.kml+xml',
  HTML: 'text/html',
  PDF: 'application/pdf',
  ZIP: 'application/zip',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  XLS: 'application/vnd.ms-excel',
  ODS: 'application/vnd.oasis.opendocument.spreadsheet',
  DOCX: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  DOC: 'application/msword',
};

/** File extension (lower case, without the dot) → the format the file must contain. */
export const expectedFormatByExtension: Readonly<Record<string, FileFormat>> = {
  csv: 'CSV',
  tsv: 'TSV',
  tab: 'TSV',
  txt: 'TXT',
  json: 'JSON',
  geojson: 'GEOJSON',
  xml: 'XML',
  kml: 'KML',
  html: 'HTML',
  htm: 'HTML',
  pdf: 'PDF',
  zip: 'ZIP',
  xlsx: 'XLSX',
  xls: 'XLS',
  ods: 'ODS',
  docx: 'DOCX',
  doc: 'DOC',
};

// Pairs that are not a lie: a ".json" holding GeoJSON, a ".csv" separated by semicolons or tabs,
// a ".xml" holding KML. The file name's format wins, except GeoJSON which is the more precise one.
const compatible: FileFormat[][] = [
  ['CSV', 'TSV', 'TXT'],
  ['JSON', 'GEOJSON'],
  ['XML', 'KML'],
];

/**
 * What a file really is, from its first bytes (FILE_TYPE_HEAD_BYTES) and its name. A file whose
 * content contradicts its extension (a PDF renamed to .csv) is a mismatch, naming both formats.
 */
export function detectFileType(head: Buffer, fileName: string): DetectedFileType | FileTypeError {
  if (head.length === 0) return { error: 'empty' };
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  // hasOwn: a file named "x.constructor" must not find Object.prototype.constructor.
  const expected = Object.hasOwn(expectedFormatByExtension, extension) ? expectedFormatByExtension[extension] : undefined;
  const detected = detectByContent(head, expected);
  if (!detected) return expected ? { error: 'unknown', expected } : { error: 'unknown' };
  if (!expected || expected === detected.format) return withMediaType(detected);
  const family = compatible.find((formats) => formats.includes(expected));
  if (family?.includes(detected.format)) {
    const format = detected.format === 'GEOJSON' ? 'GEOJSON' : expected;
    return withMediaType({ ...detected, format });
  }
  return { error: 'mismatch', expected, detected: detected.format };
}

function withMediaType(found: Omit<DetectedFileType, 'mediaType'>): DetectedFileType {
  return { ...found, mediaType: mediaTypes[found.format] };
}

type Found = Omit<DetectedFileType, 'mediaType'>;

function detectByContent(head: Buffer, expected: FileFormat | undefined): Found | undefined {
  // latin1 maps bytes 1:1, which is what magic numbers and ZIP entry names need.
  const bytes = head.toString('latin1');
  if (bytes.startsWith('%PDF')) return { format: 'PDF' };
  if (bytes.startsWith('PK\x03\x04') || bytes.startsWith('PK\x05\x06')) return detectZip(bytes, expected);
  if (bytes.startsWith('\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1')) {
    // OLE2 holds both legacy Excel and Word; its head does not say which, the name does.
    return { format: expected === 'DOC' ? 'DOC' : 'XLS' };
  }
  return detectText(head, expected);
}

/** Office files are ZIPs; the names of their first entries tell which kind. */
function detectZip(bytes: string, expected: FileFormat | undefined): Found {
  if (bytes.includes('mimetypeapplication/vnd.oasis.opendocument.spreadsheet')) return { format: 'ODS' };
  if (bytes.includes('xl/')) return { format: 'XLSX' };
  if (bytes.includes('word/')) return { format: 'DOCX' };
  if (bytes.includes('[Content_Types].xml')) return { format: expected === 'DOCX' ? 'DOCX' : 'XLSX' };
  return { format: 'ZIP' };
}

function detectText(head: Buffer, expected: FileFormat | undefined): Found | undefined {
  const encoding = detectEncoding(head);
  const isUtf16 = encoding === 'utf-16le' || encoding === 'utf-16be';
  // NUL bytes only belong in UTF-16 text; elsewhere they mean a binary file.
  if (!isUtf16 && head.includes(0)) return undefined;
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  // A multi-byte character cut at the end of the head decodes to U+FFFD, which is harmless here.
  const text = new TextDecoder(label).decode(head).replace(/^\uFEFF/, '').trimStart();
  if (/^<!doctype html|^<html[\s>]/i.test(text)) return { format: 'HTML', encoding };
  if (text.startsWith('<?xml') || /^<[a-z]/i.test(text)) {
    return { format: /<kml[\s>]/.test(text) ? 'KML' : 'XML', encoding };
  }
  if (looksLikeJson(text)) {
    const isGeoJson = /"type"\s*:\s*"(FeatureCollection|Feature)"/.test(text);
    return { format: isGeoJson ? 'GEOJSON' : 'JSON', encoding };
  }
  if (expected === 'CSV' || expected === 'TSV' || expected === 'TXT') return { format: expected, encoding };
  return { format: guessTextTable(text), encoding };
}

// Strict enough that a CSV whose first cell is "[Mã]" or "{Tên}" is not taken for JSON.
function looksLikeJson(text: string): boolean {
  return /^\{\s*("|\})/.test(text) || /^\[\s*([[{"\d\]-]|true\b|false\b|null\b)/.test(text);
}

function guessTextTable(text: string): FileFormat {
  const firstLine = text.split(/\r?\n/, 1)[0];
  const count = (separator: string) => firstLine.split(separator).length - 1;
  if (count('\t') > 0 && count('\t') >= count(',') && count('\t') >= count(';')) return 'TSV';
  if (count(',') > 0 || count(';') > 0) return 'CSV';
  return 'TXT';
}
