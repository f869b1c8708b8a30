import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { actorOf } from '../../src/modules/accounts/accounts.service.ts';
import { createApiToken } from '../../src/modules/api-tokens/api-tokens.service.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/app.ts';
import { buildAgency, buildDataset, buildTopic, buildUser, testPassword } from '../helpers/factories.ts';

// Issue 17, item 8 (MISSION: "every form error re-renders the form with the message next to the field;
// every API error is JSON with a reason; never a 500 for user input"). Every state-changing route the
// app registers (found from the app itself, so a new form is fuzzed without editing this file) and the
// JSON API get malformed, oversized and hostile values from a seeded generator, as a visitor, an officer,
// a leader and DOIT, with valid CSRF tokens so that the values reach the handlers. Each answer must be
// below 500, carry no stack trace, and when it refuses: JSON with a reason for the API, a page with the
// form again (422) or a sentence for people. Replay a failure with FUZZ_SEED=<seed>.

const runs = Number(process.env.FUZZ_RUNS ?? 300);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

/** Every route of the app, from Fastify's own route tree: [method, path]. */
function routesOf(app: FastifyInstance): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)(?:├── |└── )(.+?) \(([^)]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    stack.length = depth;
    const parent = depth === 0 ? '' : stack[depth - 1];
    const path = depth === 0 ? match[2] : `${parent === '/' ? '/' : parent}${parent.endsWith('/') || match[2].startsWith('/') ? '' : '/'}${match[2]}`;
    stack[depth] = path;
    for (const method of match[3].split(', ')) routes.push({ method, path });
  }
  return routes;
}

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '..',
    '../../etc/passwd',
    "' OR 1=1 --",
    '"; drop table datasets; --',
    '<script>alert(1)</script>',
    '{{7*7}}<%= 7*7 %>',
    '=HYPERLINK("http://x")',
    '-1',
    '0',
    '1e309',
    'NaN',
    'true',
    'null',
    '2024-02-30',
    '9999-12-31',
    '9'.repeat(40),
    '00000000-0000-0000-0000-000000000000',
    'a@b',
    'x'.repeat(5_000),
    'tiếng Việt có dấu',
    '\u202e',
    '\ud800',
    '[]',
    '{}',
    '__proto__',
  ),
);
/** Oversized: a field past every form limit (the body limit is 1 MiB; multipart fields 100 kB). */
const oversized = fc.constantFrom('x'.repeat(120_000), 'ạ'.repeat(60_000));
const formValue = fc.oneof({ weight: 8, arbitrary: hostileText }, { weight: 1, arbitrary: oversized });
const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileText },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
  { weight: 1, arbitrary: fc.array(hostileText, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('name', 'url', 'id', '__proto__', 'constructor', 'x'), hostileText, { maxKeys: 3 }) },
  { weight: 1, arbitrary: oversized },
);

/** Field names of every form in views/ (and the API's CKAN names), so values reach real fields. */
const formFields = [
  'accessConditions', 'action', 'address', 'agency', 'agencyId', 'body', 'catalogueEntryId', 'comment', 'confirm', 'confirmPassword',
  'contact', 'content', 'currentPassword', 'dataset', 'datasetId', 'decisionDate', 'decisionNumber', 'description', 'displayName',
  'docsUrl', 'email', 'expiresOn', 'fileName', 'firstPublicationDate', 'format', 'frequency', 'from', 'hideReason', 'isService', 'kind',
  'licence', 'message', 'name', 'newPassword', 'next', 'note', 'notes', 'number', 'outcome', 'password', 'period', 'phone',
  'piiConfirmed', 'published', 'q', 'reason', 'replaceResourceId', 'robots', 'role', 'signer', 'slug', 'sort', 'spatialCoverage',
  'stamp', 'status', 'tags', 'temporalCoverage', 'title', 'to', 'topic', 'topicId', 'type', 'updateFrequency', 'url', 'viewport',
  'website', 'x', 'y', 'year', 'agencySlug', 'links', 'lang',
];
const ckanFields = [
  'id', 'name', 'title', 'notes', 'owner_org', 'url', 'q', 'fq', 'rows', 'start', 'sort', 'facet.field', 'resource_id', 'records',
  'filters', 'limit', 'offset', 'fields', 'tags', 'extras', 'package_id', 'include_total', 'distinct', 'plain', 'modified_since', 'all_fields',
];

type Actor = 'visitor' | 'officer' | 'leader' | 'doit';
type Encoding = 'form' | 'json' | 'multipart' | 'garbage';

function multipart(fields: Array<[string, string]>, withFile: boolean): { payload: Buffer; contentType: string } {
  const boundary = `----fuzz${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of fields) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (withFile) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="du-lieu.csv"\r\ncontent-type: text/csv\r\n\r\na,b\n1,2\n\r\n`));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const statuses = new Map<number, number>();

function checkAnswer(label: string, response: LightMyRequestResponse, json: boolean) {
  statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
  assert.ok(response.statusCode < 500, `${label} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
  assert.doesNotMatch(response.body, /\n\s+at .+[(\s].+:\d+:\d+/, `${label} shows a stack trace`);
  if (response.statusCode < 400) return;
  const type = String(response.headers['content-type'] ?? '');
  if (json) {
    assert.match(type, /json/, `${label} refused without JSON`);
    const body = response.json() as { error?: unknown; message?: unknown };
    const reason = typeof body.error === 'object' && body.error ? (body.error as { message?: unknown }).message : body.message;
    assert.ok(typeof reason === 'string' && reason.length > 3, `${label} refused without a reason: ${response.body.slice(0, 200)}`);
  } else if (type.includes('html')) {
    if (response.statusCode === 422) assert.match(response.body, /<form/, `${label} answered 422 without the form`);
    else assert.match(response.body, /<h1|role="alert"|class="alert/, `${label} refused without a sentence`);
  } else {
    assert.match(type, /json/, `${label} refused in ${type || 'no content type'}`);
  }
}

test('fuzz: every form and JSON endpoint fed hostile, malformed and oversized input answers below 500, with a reason or the form again', async (t) => {
  const { app, db, storage } = await buildTestApp(t, { PAGE_CACHE_SECONDS: '0' });
  const agency = await buildAgency(db, { slug: 'so-tai-nguyen' });
  const topic = await buildTopic(db, { slug: 'moi-truong' });
  const published = await buildDataset(db, storage, { slug: 'chat-luong-nuoc', agency, topic, files: [{ content: 'tram,ph\nA,7\n' }] });
  const draft = await buildDataset(db, storage, { slug: 'ban-nhap', agency, topic, published: false, files: [{ content: 'a,b\n1,2\n' }] });
  const users = {
    officer: await buildUser(db, { role: 'officer', agency }),
    leader: await buildUser(db, { role: 'leader', agency }),
    doit: await buildUser(db, { role: 'admin' }),
  };
  const { token } = await createApiToken(db, actorOf(users.officer, null), { name: 'fuzz', expiresOn: null });
  await app.ready();

  const agents = new Map<Actor, Agent>();
  async function agentFor(actor: Actor): Promise<Agent> {
    let agent = agents.get(actor);
    if (!agent) {
      agent = new Agent(app, actor === 'visitor' ? '198.51.100.7' : `192.0.2.${['officer', 'leader', 'doit'].indexOf(actor) + 10}`);
      if (actor !== 'visitor') await agent.signIn(users[actor].email, testPassword);
      await agent.get(actor === 'visitor' ? '/login' : '/admin/api-tokens');
      agents.set(actor, agent);
    }
    return agent;
  }

  const routes = routesOf(app);
  const writes = routes.filter((route) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method) && !route.path.includes('/action/'));
  assert.ok(writes.length > 30, `found ${writes.length} form routes`);
  assert.ok(writes.some((route) => route.path === '/admin/jobs/:id/retry'));
  const actions = [...app.ckanActions.keys()];

  const ids = [published.dataset.id, draft.dataset.id, published.resources[0].id, draft.resources[0].id, '00000000-0000-4000-8000-000000000000'];
  const paramValue = (name: string) =>
    fc.oneof(
      name === 'slug' ? fc.constantFrom('chat-luong-nuoc', 'ban-nhap') : fc.constantFrom(...ids),
      hostileText.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '')) || 'x'),
    );
  const fill = (path: string) => {
    const names = [...path.matchAll(/:(\w+)/g)].map((match) => match[1]);
    return fc.tuple(...names.map((name) => (name === 'name' ? fc.constantFrom(...actions) : paramValue(name)))).map((values) => {
      let filled = path;
      names.forEach((name, index) => {
        filled = filled.replace(`:${name}`, String(values[index]));
      });
      return filled.replace(/\*$/, 'x');
    });
  };

  const formCase = fc.record({
    route: fc.constantFrom(...writes),
    actor: fc.constantFrom<Actor>('visitor', 'officer', 'leader', 'doit'),
    encoding: fc.constantFrom<Encoding>('form', 'form', 'json', 'multipart', 'garbage'),
    fields: fc.array(fc.tuple(fc.constantFrom(...formFields), formValue), { maxLength: 8 }),
    jsonFields: fc.dictionary(fc.constantFrom(...formFields), jsonValue, { maxKeys: 6 }),
    withFile: fc.boolean(),
  }).chain((input) => fill(input.route.path).map((url) => ({ ...input, url, kind: 'form' as const })));

  const apiCase = fc.record({
    action: fc.constantFrom(...actions),
    version: fc.constantFrom('/api/3/action/', '/api/action/', '/api/2/action/'),
    withToken: fc.boolean(),
    encoding: fc.constantFrom<Encoding>('json', 'json', 'form', 'garbage'),
    body: fc.dictionary(fc.constantFrom(...ckanFields), jsonValue, { maxKeys: 6 }),
    query: fc.array(fc.tuple(fc.constantFrom(...ckanFields), hostileText), { maxLength: 3 }),
  }).map((input) => ({ ...input, kind: 'api' as const }));

  const recordsCase = fc.record({
    resource: fc.oneof(fc.constantFrom(...ids), hostileText.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '')) || 'x')),
    query: fc.array(fc.tuple(fc.constantFrom('limit', 'offset', 'q', 'sort', 'fields', 'filters', 'distinct', 'format'), hostileText), { maxLength: 4 }),
  }).map((input) => ({ ...input, kind: 'records' as const }));

  let requests = 0;
  await fc.assert(
    fc.asyncProperty(fc.oneof({ weight: 6, arbitrary: formCase }, { weight: 3, arbitrary: apiCase }, { weight: 1, arbitrary: recordsCase }), async (input) => {
      requests += 1;
      if (input.kind === 'records') {
        const query = input.query.map(([name, value]) => `${name}=${encodeURIComponent(value.replace(/[\ud800-\udfff]/g, ''))}`).join('&');
        const url = `/api/v1/resources/${input.resource}/records?${query}`;
        checkAnswer(`GET ${url}`, await app.inject({ method: 'GET', url }), true);
        return;
      }
      if (input.kind === 'api') {
        const query = input.query.map(([name, value]) => `${name}=${encodeURIComponent(value.replace(/[\ud800-\udfff]/g, ''))}`).join('&');
        const url = `${input.version}${input.action}${query ? `?${query}` : ''}`;
        const headers: Record<string, string> = input.withToken ? { authorization: token } : {};
        let payload: string;
        if (input.encoding === 'json') {
          headers['content-type'] = 'application/json';
          payload = JSON.stringify(input.body);
        } else if (input.encoding === 'form') {
          headers['content-type'] = 'application/x-www-form-urlencoded';
          payload = new URLSearchParams(Object.entries(input.body).map(([key, value]): [string, string] => [key, (typeof value === 'string' ? value : JSON.stringify(value) ?? '').replace(/[\ud800-\udfff]/g, '')])).toString();
        } else {
          headers['content-type'] = 'application/json';
          payload = '{"name": "x", ]';
        }
        checkAnswer(`POST ${url}`, await app.inject({ method: 'POST', url, headers, payload, remoteAddress: '203.0.113.9' }), true);
        return;
      }
      const agent = await agentFor(input.actor);
      const csrf = agent.csrfToken ?? '';
      const headers: Record<string, string> = {};
      let payload: string | Buffer;
      if (input.encoding === 'json') {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify({ _csrf: csrf, ...input.jsonFields });
      } else if (input.encoding === 'multipart') {
        const body = multipart([['_csrf', csrf], ...input.fields], input.withFile);
        headers['content-type'] = body.contentType;
        payload = body.payload;
      } else if (input.encoding === 'garbage') {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        payload = `_csrf=${encodeURIComponent(csrf)}&%zz=%E0%A4%A&&==&title=%`;
      } else {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        const body = new URLSearchParams([['_csrf', csrf]]);
        for (const [name, value] of input.fields) body.append(name, value.replace(/[\ud800-\udfff]/g, '\ufffd'));
        payload = body.toString();
      }
      const response = await app.inject({ method: input.route.method as 'POST', url: input.url, headers, payload, cookies: Object.fromEntries(agent.cookies), remoteAddress: input.actor === 'visitor' ? `198.51.100.${(requests % 200) + 1}` : undefined });
      checkAnswer(`${input.actor} ${input.route.method} ${input.url} (${input.encoding})`, response, input.url.startsWith('/api/'));
      // Signing out, signing in or changing a password ends the session or rotates its CSRF secret.
      if (/^\/(logout|login|account\/password)/.test(input.url) || response.cookies.length > 0) agents.delete(input.actor);
    }),
    { numRuns: runs, seed, endOnFailure: true, includeErrorInReport: true },
  );
  t.diagnostic(`${requests} requests over ${writes.length} form routes and ${actions.length} API actions`);
  t.diagnostic(`answers by status: ${[...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')}`);
});
