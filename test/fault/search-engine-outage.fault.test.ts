import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/db/client.ts';
import { buildDataset } from '../helpers/factories.ts';
import { eventually, faultWorkspace } from './portal-process.ts';

// Issue 17, item 8: Meilisearch is unreachable, first refusing connections (stopped), then accepting
// them and never answering (hung, or a network black hole), then back. Pages are served, searches
// fall back to PostgreSQL (the page says so), /readyz reports "fallback" and stays 200, the search
// outbox keeps every change, and when the engine returns the outbox drains into it.
//
// There is no Meilisearch binary on this machine (none on the npm registry). "It returns" is shown
// against a STAND-IN for the external engine: a small HTTP server below that speaks the few
// Meilisearch routes the portal calls (health, index and settings, documents, tasks, search) and
// records what it receives. It stands in for Meilisearch, not for our HTTP layer or database: it
// proves the outbox drains and the index settings are sent, not Meilisearch's ranking.
const skip = process.env.TEST_DATABASE_URL ? false : 'needs a PostgreSQL server (TEST_DATABASE_URL) for the portal process';

/** The stand-in: records documents, deletions and settings; every task succeeds at once. */
async function meiliStandIn() {
  const documents = new Map<string, Record<string, unknown>>();
  const received = { settings: 0, documentPosts: 0, deletions: 0, searches: 0 };
  let taskUid = 0;
  const task = (type: string) => ({ taskUid: ++taskUid, indexUid: 'datasets', status: 'enqueued', type, enqueuedAt: new Date().toISOString() });
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString()) : null;
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const send = (status: number, value: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (url.pathname === '/health') return send(200, { status: 'available' });
    const taskMatch = /^\/tasks\/(\d+)$/.exec(url.pathname);
    if (taskMatch) {
      const now = new Date().toISOString();
      return send(200, { uid: Number(taskMatch[1]), indexUid: 'datasets', status: 'succeeded', type: 'documentAdditionOrUpdate', enqueuedAt: now, startedAt: now, finishedAt: now, duration: 'PT0S' });
    }
    if (url.pathname === '/indexes' && request.method === 'POST') return send(202, task('indexCreation'));
    if (url.pathname === '/indexes/datasets/settings') {
      received.settings++;
      return send(202, task('settingsUpdate'));
    }
    if (url.pathname === '/indexes/datasets/documents' && request.method === 'POST') {
      received.documentPosts++;
      for (const document of body as Array<Record<string, unknown>>) documents.set(String(document.id), document);
      return send(202, task('documentAdditionOrUpdate'));
    }
    if (url.pathname === '/indexes/datasets/documents/delete-batch') {
      received.deletions++;
      for (const id of body as string[]) documents.delete(id);
      return send(202, task('documentDeletion'));
    }
    if (url.pathname === '/indexes/datasets/search') {
      received.searches++;
      const hits = [...documents.values()];
      return send(200, { hits, query: body?.q ?? '', processingTimeMs: 0, hitsPerPage: body?.hitsPerPage ?? 20, page: 1, totalPages: 1, totalHits: hits.length, facetDistribution: {} });
    }
    send(404, { message: `stand-in: ${request.method} ${url.pathname} not implemented`, code: 'not_found', type: 'invalid_request', link: '' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { documents, received, port: (server.address() as net.AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

type Mode = 'refuse' | 'hang' | 'forward';

/** The address the portal knows as Meilisearch: refuses, holds connections without answering, or forwards. */
async function switchableAddress(targetPort: number) {
  let mode: Mode = 'refuse';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (mode === 'refuse') return client.destroy();
    if (mode === 'hang') return; // accepted, read, never answered
    const upstream = net.connect(targetPort, '127.0.0.1');
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    set(next: Mode) {
      mode = next;
      // Connections kept alive from the previous mode go too, as when the engine stops or comes back.
      for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

test('Meilisearch unreachable: pages served, search falls back, /readyz 200, the outbox keeps changes and drains when it returns', { skip, timeout: 240_000 }, async (t) => {
  const { db, storage, start } = await faultWorkspace(t, 'search');
  const standIn = await meiliStandIn();
  const meili = await switchableAddress(standIn.port);
  t.after(async () => {
    await meili.close();
    await standIn.close();
  });
  const first = await buildDataset(db, storage, { slug: 'chat-luong-nuoc', revision: { title: 'Chất lượng nước sông Côn' } });
  const pendingOutbox = async () =>
    rowsOf<{ n: number; attempts: number }>(await db.execute(sql`select count(*)::int as n, coalesce(max(attempts), 0)::int as attempts from search_outbox where processed_at is null`))[0];
  const timed = async (url: string) => {
    const started = Date.now();
    try {
      const response = await fetch(`${portal!.base}${url}`, { signal: AbortSignal.timeout(30_000) });
      return { status: response.status as number | 'hang', body: await response.text(), ms: Date.now() - started };
    } catch (error) {
      return { status: (error as Error).name === 'TimeoutError' ? ('hang' as const) : ('error' as const), body: '', ms: Date.now() - started };
    }
  };
  const fallbacks = async () => {
    const metrics = await timed('/metrics');
    const value = /^portal_search_fallbacks_total(?:\{[^}]*\})? (\d+)/m.exec(metrics.body)?.[1];
    if (value === undefined) throw new Error(`/metrics answered ${metrics.status} without the fallback counter: ${metrics.body.slice(0, 300)}`);
    return Number(value);
  };

  // 1. Stopped: connections refused, from the start.
  meili.set('refuse');
  const portal = await start({ env: { MEILI_URL: `http://127.0.0.1:${meili.port}`, MEILI_MASTER_KEY: 'fault-run-key' } });
  for (const url of ['/', '/dataset', '/dataset/chat-luong-nuoc', '/organization']) assert.equal((await timed(url)).status, 200, url);
  const refused = await timed('/dataset?q=song+con');
  assert.equal(refused.status, 200);
  assert.match(refused.body, /chat-luong-nuoc/, 'PostgreSQL answered the search');
  const ready = await timed('/readyz');
  assert.equal(ready.status, 200);
  assert.deepEqual(JSON.parse(ready.body).checks, { database: 'ok', search: 'fallback' });
  // A publication while the engine is away: PostgreSQL's index has it, the outbox keeps it for Meilisearch.
  await buildDataset(db, storage, { slug: 'quan-trac-khong-khi', revision: { title: 'Quan trắc không khí Quy Nhơn' } });
  await eventually(async () => ((await timed('/dataset?q=khong+khi')).body.includes('quan-trac-khong-khi') || false), 30);
  const kept = await eventually(async () => {
    const pending = await pendingOutbox();
    return pending.n > 0 && pending.attempts > 0 ? pending : false;
  }, 30);
  t.diagnostic(`refused: search ${refused.ms} ms (fallback), /readyz ${ready.status} ${ready.body}; outbox keeps ${kept.n} change(s) after ${kept.attempts} failed attempt(s); fallbacks counted ${await fallbacks()}`);

  // 2. Hung: connections accepted, never answered.
  meili.set('hang');
  const hungSearch = await timed('/dataset?q=song+con');
  const hungReady = await timed('/readyz');
  const hungPage = await timed('/dataset/chat-luong-nuoc');
  t.diagnostic(`hung: search ${hungSearch.status} in ${hungSearch.ms} ms, /readyz ${hungReady.status} in ${hungReady.ms} ms ${hungReady.body}, dataset page ${hungPage.status} in ${hungPage.ms} ms`);
  assert.equal(hungSearch.status, 200, 'a hung engine does not hang the search page');
  assert.match(hungSearch.body, /chat-luong-nuoc/);
  assert.equal(hungReady.status, 200);
  assert.deepEqual(JSON.parse(hungReady.body).checks, { database: 'ok', search: 'fallback' });
  assert.equal(hungPage.status, 200);

  // 3. Back (the stand-in): the outbox drains into it, with the index settings first.
  meili.set('forward');
  const backAt = Date.now();
  await eventually(async () => (await pendingOutbox()).n === 0 || false, 60);
  const drainedMs = Date.now() - backAt;
  assert.ok(standIn.documents.has(first.dataset.id) || standIn.documents.size > 0, 'documents reached the engine');
  assert.ok(
    [...standIn.documents.values()].some((document) => document.slug === 'quan-trac-khong-khi'),
    'the change made during the outage reached the engine',
  );
  assert.ok(standIn.received.settings > 0, 'the index settings (searchable, filterable, ranking) were sent once it came back');
  const before = await fallbacks();
  const back = await timed('/dataset?q=khong+khi');
  assert.equal(back.status, 200);
  assert.ok(standIn.received.searches > 0, 'searches go to the engine again');
  assert.equal(await fallbacks(), before, 'no fallback once it is back');
  assert.deepEqual(JSON.parse((await timed('/readyz')).body).checks, { database: 'ok', search: 'ok' });
  t.diagnostic(`back: outbox drained ${drainedMs} ms after the engine returned; stand-in received ${standIn.documents.size} document(s), ${standIn.received.settings} settings update(s), ${standIn.received.searches} search(es)`);
});
