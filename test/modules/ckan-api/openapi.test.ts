import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { buildTestApp } from '../../helpers/app.ts';

type Document = { openapi: string; paths: Record<string, Record<string, { tags?: string[]; parameters?: Array<{ name: string; in: string }> }>> };

test('the OpenAPI document validates as OpenAPI 3.0 and covers the action API and the feeds', async (t) => {
  const { app } = await buildTestApp(t);
  const response = await app.inject('/api/openapi.json');
  assert.equal(response.statusCode, 200);
  const document = response.json() as Document;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(new URL('./fixtures/openapi-3.0.schema.json', import.meta.url), 'utf8')));
  assert.ok(validate(document), JSON.stringify(validate.errors, null, 2));
  for (const path of ['/api/3/action/{name}', '/api/action/{name}', '/api/2/action/{name}', '/catalog.ttl', '/data.json', '/dataset/{slug}/datapackage.json']) {
    assert.ok(document.paths[path], path);
  }
  // Every {parameter} of a path is declared as a path parameter.
  for (const [path, item] of Object.entries(document.paths)) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    for (const operation of Object.values(item)) {
      for (const name of names) assert.ok(operation.parameters?.some((parameter) => parameter.in === 'path' && parameter.name === name), `${path} declares ${name}`);
    }
  }
  const search = document.paths['/api/3/action/{name}'].get;
  assert.ok(search.parameters?.some((parameter) => parameter.name === 'fq' && parameter.in === 'query'));
  assert.ok(!Object.keys(document.paths).some((path) => path.startsWith('/admin')), 'pages for people are not in the API document');
  // A broken document fails: the check is not vacuous.
  assert.equal(validate({ ...document, openapi: '2.0' }), false);
});

test('the /api guide shows examples in the visitor language', async (t) => {
  const { app } = await buildTestApp(t);
  const vi = await app.inject('/api');
  assert.equal(vi.statusCode, 200);
  assert.ok(vi.body.includes('API cho nhà phát triển'));
  assert.ok(vi.body.includes('/api/3/action/package_search'));
  const en = await app.inject('/api?lang=en');
  assert.ok(en.body.includes('API for developers'));
  assert.ok(en.body.includes('Authorization: odp_'));
});
