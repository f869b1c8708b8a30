import { type Quad, type Term, Writer } from 'n3';
import { escapeXml } from '../../lib/xml.ts';
import { prefixes } from './dcat.vocabulary.ts';

/**
 * Turtle comes from n3's writer. n3 writes no JSON-LD or RDF/XML and no kept library for them is
 * installed, so those two are small writers over the same quads: they never see the portal's data,
 * only terms, and escape every literal for their syntax.
 */

export async function toTurtle(quads: Quad[]): Promise<string> {
  const writer = new Writer({ prefixes });
  writer.addQuads(quads);
  return new Promise((resolve, reject) => writer.end((error, result) => (error ? reject(error) : resolve(result))));
}

const rdfType = `${prefixes.rdf}type`;

/** `http://www.w3.org/ns/dcat#Dataset` → `dcat:Dataset` when a prefix covers it. */
function compact(iri: string): string {
  for (const [prefix, namespace] of Object.entries(prefixes)) {
    if (iri.startsWith(namespace) && /^[A-Za-z_][\w-]*$/.test(iri.slice(namespace.length))) return `${prefix}:${iri.slice(namespace.length)}`;
  }
  return iri;
}

function subjectKey(term: Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}

function groupBySubject(quads: Quad[]): Map<string, { subject: Term; quads: Quad[] }> {
  const nodes = new Map<string, { subject: Term; quads: Quad[] }>();
  for (const quad of quads) {
    const key = subjectKey(quad.subject);
    if (!nodes.has(key)) nodes.set(key, { subject: quad.subject, quads: [] });
    nodes.get(key)?.quads.push(quad);
  }
  return nodes;
}

function jsonLdObject(object: Term): Record<string, string> {
  if (object.termType === 'NamedNode') return { '@id': object.value };
  if (object.termType === 'BlankNode') return { '@id': `_:${object.value}` };
  if (object.termType === 'Literal') {
    const literal = object as Term & { language: string; datatype: { value: string } };
    if (literal.language) return { '@value': literal.value, '@language': literal.language };
    const datatype = literal.datatype?.value;
    if (datatype && datatype !== `${prefixes.xsd}string`) return { '@value': literal.value, '@type': compact(datatype) };
    return { '@value': literal.value };
  }
  return { '@value': object.value };
}

/** JSON-LD: one node object per subject in an `@graph`, prefixes in the `@context`. */
export function toJsonLd(quads: Quad[]): Record<string, unknown> {
  const graph = [...groupBySubject(quads).values()].map(({ subject, quads: statements }) => {
    const node: Record<string, unknown> = { '@id': subjectKey(subject) };
    const types = statements.filter((quad) => quad.predicate.value === rdfType).map((quad) => compact(quad.object.value));
    if (types.length > 0) node['@type'] = types;
    for (const quad of statements) {
      if (quad.predicate.value === rdfType) continue;
      const key = compact(quad.predicate.value);
      const values = (node[key] as unknown[] | undefined) ?? [];
      values.push(jsonLdObject(quad.object));
      node[key] = values;
    }
    return node;
  });
  return { '@context': { ...prefixes }, '@graph': graph };
}

/** A predicate as an XML element name: it must end in a name a prefix covers. */
function qname(iri: string): string {
  const compacted = compact(iri);
  if (compacted === iri) throw new Error(`no prefix for predicate ${iri}`);
  return compacted;
}

/** RDF/XML: one rdf:Description per subject; blank nodes by rdf:nodeID. */
export function toRdfXml(quads: Quad[]): string {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>'];
  const namespaces = Object.entries(prefixes)
    .map(([prefix, namespace]) => `xmlns:${prefix}="${namespace}"`)
    .join('\n  ');
  lines.push(`<rdf:RDF\n  ${namespaces}>`);
  for (const { subject, quads: statements } of groupBySubject(quads).values()) {
    const about = subject.termType === 'BlankNode' ? `rdf:nodeID="${escapeXml(subject.value)}"` : `rdf:about="${escapeXml(subject.value)}"`;
    lines.push(`  <rdf:Description ${about}>`);
    for (const quad of statements) {
      const name = qname(quad.predicate.value);
      const object = quad.object;
      if (object.termType === 'NamedNode') lines.push(`    <${name} rdf:resource="${escapeXml(object.value)}"/>`);
      else if (object.termType === 'BlankNode') lines.push(`    <${name} rdf:nodeID="${escapeXml(object.value)}"/>`);
      else {
        const literal = object as Term & { language: string; datatype: { value: string } };
        const attributes = literal.language
          ? ` xml:lang="${escapeXml(literal.language)}"`
          : literal.datatype && literal.datatype.value !== `${prefixes.xsd}string`
            ? ` rdf:datatype="${escapeXml(literal.datatype.value)}"`
            : '';
        lines.push(`    <${name}${attributes}>${escapeXml(literal.value)}</${name}>`);
      }
    }
    lines.push('  </rdf:Description>');
  }
  lines.push('</rdf:RDF>', '');
  return lines.join('\n');
}
