import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { eq } from 'drizzle-orm';
import { Parser, type Quad } from 'n3';
import { resources } from '../../../src/modules/resources/resources.table.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset, buildTopic } from '../../helpers/factories.ts';

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

async function catalogue(t: Parameters<typeof buildTestApp>[0]) {
  const testApp = await buildTestApp(t);
  const { db, storage } = testApp;
  const agency = await buildAgency(db, { slug: 'so-y-te', name: 'Sở Y tế', email: 'syt@example.gov.vn' });
  const topic = await buildTopic(db, { slug: 'y-te', nameVi: 'Y tế', nameEn: 'Health' });
  const clinics = await buildDataset(db, storage, {
    agency,
    topic,
    slug: 'co-so-kham-benh',
    revision: { title: 'Cơ sở khám bệnh "đa khoa" <tỉnh> & huyện', description: 'Danh sách bệnh viện', tags: ['y tế'] },
    files: [{ fileName: 'co-so.csv', content: 'ten,so giuong\nBệnh viện tỉnh,500\n' }],
  });
  const pharmacies = await buildDataset(db, storage, {
    agency,
    topic,
    slug: 'nha-thuoc',
    revision: { title: 'Nhà thuốc', description: 'Danh sách nhà thuốc đạt chuẩn' },
    links: [{ name: 'API nhà thuốc', url: 'https://api.example.gov.vn/nha-thuoc' }],
  });
  await buildDataset(db, storage, { agency, topic, slug: 'ban-nhap', published: false });
  return { ...testApp, clinics, pharmacies };
}

function parseTurtle(text: string): Quad[] {
  return new Parser({ format: 'text/turtle' }).parse(text);
}

function datasetsIn(quads: Quad[]): string[] {
  return quads.filter((quad) => quad.predicate.value === RDF_TYPE && quad.object.value === `${DCAT}Dataset`).map((quad) => quad.subject.value);
}

test('catalog.ttl parses back with n3 into one dcat:Dataset per published dataset, each with title, description, publisher and distribution', async (t) => {
  const { app } = await catalogue(t);
  const response = await app.inject('/catalog.ttl');
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /^text\/turtle/);
  const quads = parseTurtle(response.body);
  const datasets = datasetsIn(quads);
  assert.deepEqual(datasets.map((iri) => iri.replace(/^.*\/dataset\//, '')).sort(), ['co-so-kham-benh', 'nha-thuoc']);
  for (const dataset of datasets) {
    for (const predicate of [`${DCT}title`, `${DCT}description`, `${DCT}publisher`, `${DCAT}distribution`]) {
      assert.ok(
        quads.some((quad) => quad.subject.value === dataset && quad.predicate.value === predicate),
        `${dataset} has ${predicate}`,
      );
    }
  }
  const title = quads.find((quad) => quad.subject.value.endsWith('/co-so-kham-benh') && quad.predicate.value === `${DCT}title`);
  assert.equal(title?.object.value, 'Cơ sở khám bệnh "đa khoa" <tỉnh> & huyện');
  assert.ok(quads.some((quad) => quad.predicate.value === 'http://www.w3.org/ns/hydra/core#totalItems' && quad.object.value === '2'));
  assert.ok(!quads.some((quad) => quad.predicate.value === 'http://www.w3.org/ns/hydra/core#nextPage'));
});

test('catalog pages past the end and modified_since in the future list no datasets; a bad page or date is a 400', async (t) => {
  const { app } = await catalogue(t);
  assert.deepEqual(datasetsIn(parseTurtle((await app.inject('/catalog.ttl?page=2')).body)), []);
  assert.deepEqual(datasetsIn(parseTurtle((await app.inject('/catalog.ttl?modified_since=2999-01-01')).body)), []);
  assert.equal(datasetsIn(parseTurtle((await app.inject('/catalog.ttl?modified_since=2000-01-01T00:00:00Z')).body)).length, 2);
  assert.equal((await app.inject('/catalog.ttl?page=0')).statusCode, 400);
  assert.equal((await app.inject('/catalog.ttl?modified_since=yesterday')).statusCode, 400);
});

test('JSON-LD and RDF/XML feeds carry the same datasets as the Turtle feed', async (t) => {
  const { app } = await catalogue(t);
  const jsonld = (await app.inject('/catalog.jsonld')).json() as { '@context': Record<string, string>; '@graph': Array<Record<string, unknown>> };
  assert.equal(jsonld['@context'].dcat, DCAT);
  const typed = jsonld['@graph'].filter((node) => (node['@type'] as string[] | undefined)?.includes('dcat:Dataset'));
  assert.equal(typed.length, 2);
  assert.ok(typed.every((node) => node['dct:title'] && node['dct:publisher'] && node['dcat:distribution']));
  const xml = await app.inject('/catalog.rdf');
  assert.match(String(xml.headers['content-type']), /^application\/rdf\+xml/);
  assert.match(xml.body, /^<\?xml version="1.0" encoding="utf-8"\?>\n<rdf:RDF/);
  assert.equal(xml.body.match(/<rdf:type rdf:resource="http:\/\/www.w3.org\/ns\/dcat#Dataset"\/>/g)?.length, 2);
  assert.ok(xml.body.includes('Cơ sở khám bệnh &quot;đa khoa&quot; &lt;tỉnh&gt; &amp; huyện'), 'literals are escaped for XML');
});

test('a dataset feed in each format describes one published dataset; a draft has none', async (t) => {
  const { app } = await catalogue(t);
  const ttl = await app.inject('/dataset/co-so-kham-benh.ttl');
  assert.equal(ttl.statusCode, 200);
  assert.equal(datasetsIn(parseTurtle(ttl.body)).length, 1);
  assert.equal((await app.inject('/dataset/co-so-kham-benh.jsonld')).statusCode, 200);
  assert.equal((await app.inject('/dataset/co-so-kham-benh.rdf')).statusCode, 200);
  assert.equal((await app.inject('/dataset/ban-nhap.ttl')).statusCode, 404);
});

test('data.json validates against the DCAT-US 1.1 schema with ajv and lists only published datasets', async (t) => {
  const { app } = await catalogue(t);
  const response = await app.inject('/data.json');
  assert.equal(response.statusCode, 200);
  const body = response.json() as { dataset: Array<Record<string, unknown>> };
  // The schema's patterns are written for non-unicode regular expressions (e.g. `\:`).
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  // ajv-formats is CommonJS: its plugin is the module itself at run time, `.default` for the types.
  const addFormats = (formats as unknown as { default: typeof formats.default }).default ?? formats;
  addFormats(ajv);
  const schema = JSON.parse(readFileSync(new URL('./fixtures/dcat-us-1.1.schema.json', import.meta.url), 'utf8'));
  const validate = ajv.compile(schema);
  assert.ok(validate(body), JSON.stringify(validate.errors, null, 2));
  assert.equal(body.dataset.length, 2);
  // A document missing a required field fails: the check is not vacuous.
  delete body.dataset[0].contactPoint;
  assert.equal(validate(body), false);
});

test('datapackage.json gives a Table Schema for each tabular resource', async (t) => {
  const { app, db, clinics } = await catalogue(t);
  // What the upload inspection records for a CSV (the factory stores the file without inspecting it).
  const inspection = { columns: [{ name: 'ten', type: 'text' as const }, { name: 'so giuong', type: 'integer' as const }], previewRows: [], problems: [], wrongColumnCountTotal: 0, delimiter: ',' };
  await db.update(resources).set({ inspection }).where(eq(resources.id, clinics.resources[0].id));
  const response = await app.inject('/dataset/co-so-kham-benh/datapackage.json');
  assert.equal(response.statusCode, 200);
  const body = response.json();
  assert.equal(body.name, 'co-so-kham-benh');
  assert.equal(body.resources.length, 1);
  assert.equal(body.resources[0].format, 'csv');
  assert.match(body.resources[0].path, /^http.*\/download\/co-so\.csv$/);
  assert.equal(body.resources[0].profile, 'tabular-data-resource');
  assert.deepEqual(body.resources[0].schema, { fields: [{ name: 'ten', type: 'string' }, { name: 'so giuong', type: 'integer' }] });
  assert.equal(body.resources[0].hash, `sha256:${clinics.resources[0].sha256}`);
  assert.equal((await app.inject('/dataset/ban-nhap/datapackage.json')).statusCode, 404);
});

test('the dataset page links to its DCAT and datapackage versions with <link rel="alternate">', async (t) => {
  const { app } = await catalogue(t);
  const page = await app.inject('/dataset/co-so-kham-benh');
  for (const [href, type] of [
    ['/dataset/co-so-kham-benh.ttl', 'text/turtle'],
    ['/dataset/co-so-kham-benh.jsonld', 'application/ld+json'],
    ['/dataset/co-so-kham-benh.rdf', 'application/rdf+xml'],
    ['/dataset/co-so-kham-benh/datapackage.json', 'application/json'],
  ]) {
    assert.ok(page.body.includes(`<link rel="alternate" type="${type}" href="${href}">`), href);
    assert.equal((await app.inject(href)).statusCode, 200, href);
  }
});
