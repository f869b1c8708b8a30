import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQuery, parseSolrDate, parseSort, QuerySyntaxError } from '../../../src/modules/ckan-api/ckan-query.ts';

test('fq field:value terms are ANDed, one group each', () => {
  assert.deepEqual(parseQuery('organization:so-y-te tags:giao-duc'), [
    [{ kind: 'field', field: 'organization', match: { kind: 'equals', value: 'so-y-te' }, negate: false }],
    [{ kind: 'field', field: 'tags', match: { kind: 'equals', value: 'giao-duc' }, negate: false }],
  ]);
});

test('a leading minus or NOT negates a term', () => {
  const [[minus], [not]] = parseQuery('-res_format:PDF NOT groups:y-te');
  assert.equal(minus.negate, true);
  assert.equal(not.negate, true);
  assert.equal(not.kind === 'field' && not.field, 'groups');
});

test('quoted values keep their spaces and are never read as syntax', () => {
  assert.deepEqual(parseQuery('tags:"giáo dục OR y tế"'), [
    [{ kind: 'field', field: 'tags', match: { kind: 'equals', value: 'giáo dục OR y tế' }, negate: false }],
  ]);
  assert.deepEqual(parseQuery('"name:x"'), [[{ kind: 'text', text: 'name:x', negate: false }]]);
});

test('OR joins the terms on either side into one group, as does field:(a OR b)', () => {
  const joined = parseQuery('organization:a OR organization:b tags:x');
  assert.equal(joined.length, 2);
  assert.equal(joined[0].length, 2);
  const listed = parseQuery('organization:(a OR b)');
  assert.equal(listed.length, 1);
  assert.deepEqual(
    listed[0].map((term) => term.kind === 'field' && term.match.kind === 'equals' && term.match.value),
    ['a', 'b'],
  );
});

test('-field:(a OR b) excludes both values', () => {
  const tree = parseQuery('-organization:(a OR b)');
  assert.equal(tree.length, 2);
  assert.ok(tree.every((group) => group.length === 1 && group[0].negate));
});

test('metadata_modified:[X TO *] is an open range from X in UTC', () => {
  const [[term]] = parseQuery('metadata_modified:[2026-11-01T00:00:00.000000 TO *]');
  assert.equal(term.kind, 'field');
  assert.ok(term.kind === 'field' && term.match.kind === 'range');
  if (term.kind === 'field' && term.match.kind === 'range') {
    assert.equal(term.match.from?.toISOString(), '2026-11-01T00:00:00.000Z');
    assert.equal(term.match.to, null);
  }
});

test('Solr date math NOW-7DAYS is seven days before now', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  assert.equal(parseSolrDate('NOW-7DAYS', now)?.toISOString(), '2026-11-23T12:00:00.000Z');
});

test('*:* and an empty query select everything', () => {
  assert.deepEqual(parseQuery('*:*'), []);
  assert.deepEqual(parseQuery(''), []);
});

test('bare words are full-text terms and field:* asks that a field has a value', () => {
  assert.deepEqual(parseQuery('trường học'), [
    [{ kind: 'text', text: 'trường', negate: false }],
    [{ kind: 'text', text: 'học', negate: false }],
  ]);
  const [[any]] = parseQuery('tags:*');
  assert.ok(any.kind === 'field' && any.match.kind === 'any');
});

test('malformed queries are refused with a reason: unknown field, unclosed quote or range, dangling OR, range on text', () => {
  for (const bad of ['secret_field:1', 'tags:"open', 'metadata_modified:[2026-01-01 TO *', 'tags:a OR', 'OR tags:a', 'tags:[a TO b]', 'metadata_modified:yesterday']) {
    assert.throws(() => parseQuery(bad), QuerySyntaxError, bad);
  }
});

test('sort accepts CKAN fields with asc or desc and refuses anything else', () => {
  assert.deepEqual(parseSort('id asc'), [{ field: 'id', descending: false }]);
  assert.deepEqual(parseSort('metadata_modified desc, name asc'), [
    { field: 'metadata_modified', descending: true },
    { field: 'name', descending: false },
  ]);
  assert.deepEqual(parseSort(undefined)[0], { field: 'score', descending: true });
  for (const bad of ['password asc', 'name sideways', 'name asc; drop table datasets', 'id asc extra']) {
    assert.throws(() => parseSort(bad), QuerySyntaxError, bad);
  }
});
