import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildTestApp } from '../helpers/app.ts';
import { buildAgency, buildDataset, buildTopic } from '../helpers/factories.ts';

// Issue 10 ("Done when"): public query parameters and paths fed hostile text never answer 5xx.
// The run count is fixed and the seed is printed on failure, so a failing case can be replayed
// with FUZZ_SEED=<seed>.

const runs = Number(process.env.FUZZ_RUNS ?? 200);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

/** Percent-encodes what encodeURIComponent can, and sends lone surrogates as raw invalid escapes. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text].map((char) => (char.length === 1 && char.charCodeAt(0) >= 0xd800 && char.charCodeAt(0) <= 0xdfff ? '%ED%A0%80' : encodeURIComponent(char))).join('');
  }
}

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('\u0000', '%00', '..', '../..', '__pagehole_csrf__', "' OR 1=1 --", '<script>alert(1)</script>', '-1', '1e309', 'NaN', '9'.repeat(40), 'a'.repeat(3000), '\u202e', '\ud800', 'tiếng việt', '[]', '{}'),
);
/** Some values go in raw (an invalid escape, a bare %) to reach the URL parser itself. */
const rawText = fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%%', '&&', '==', '?', '#', '+');

const queryNames = ['q', 'topic', 'agency', 'format', 'frequency', 'tag', 'licence', 'page', 'sort', 'status', 'type', 'dataset', 'lang', 'next', 'x', 'y', 'kind'];
const pages = ['/dataset', '/group', '/organization', '/feedback', '/feedback/new', '/', '/login', '/sitemap.xml'];
const slugPaths = ['/dataset/', '/group/', '/organization/', '/feedback/', '/dataset/chat-luong-nuoc/resource/', '/reset-password/'];

const queryPart = fc.tuple(fc.constantFrom(...queryNames), fc.oneof(hostileText.map(encode), rawText));
const queryUrl = fc
  .tuple(fc.constantFrom(...pages), fc.array(queryPart, { minLength: 1, maxLength: 4 }))
  .map(([page, parts]) => `${page}?${parts.map(([name, value]) => `${name}=${value}`).join('&')}`);
const slugUrl = fc
  .tuple(fc.constantFrom(...slugPaths), fc.oneof(hostileText.map(encode), rawText), fc.constantFrom('', '/download', '/download/x.csv', '/geojson', '?page=2'))
  .map(([prefix, slug, suffix]) => `${prefix}${slug}${suffix}`);

test('fuzz: public GET query parameters and paths never answer 5xx', async (t) => {
  const { app, db, storage } = await buildTestApp(t, { PAGE_CACHE_SECONDS: '0' });
  const topic = await buildTopic(db, { slug: 'moi-truong' });
  const agency = await buildAgency(db, { slug: 'so-tai-nguyen' });
  await buildDataset(db, storage, { slug: 'chat-luong-nuoc', topic, agency, files: [{ content: 'tram,ph\nA,7\n' }] });
  let requests = 0;
  await fc.assert(
    fc.asyncProperty(fc.oneof(queryUrl, slugUrl), async (url) => {
      requests += 1;
      const response = await app.inject({ method: 'GET', url });
      assert.ok(response.statusCode < 500, `${url} answered ${response.statusCode}`);
      assert.doesNotMatch(response.body, /\n\s+at .+\(.+:\d+:\d+\)/, `${url} shows a stack trace`);
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );
  assert.equal(requests >= runs, true);
});
