/** Escaping for everything the portal writes as XML: exports, SVG charts, RDF/XML, sitemaps. */

// Characters XML 1.0 does not allow at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF).
export const forbiddenInXml = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // Parsers turn raw line breaks and tabs in attributes into spaces, and "\r" anywhere into "\n".
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Text safe in XML content and attribute values, forbidden characters removed. */
export function escapeXml(text: string): string {
  return text.replace(forbiddenInXml, '').replace(/[&<>"'\t\n\r]/g, (c) => entities[c]);
}
