import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A public page that anonymous visitors may be given from memory (see plugins/page-cache.ts). */
    pageCache?: boolean;
  }
  interface FastifyInstance {
    pageCache: PageCache;
    /** Registers work to repeat whenever this page is served, also from the cache (a view count). */
    onPageServe(request: object, work: () => void): void;
  }
  interface FastifyRequest {
    /** Where this response goes in the page cache; null when it is not cached (signed in, a flash, …). */
    pageCacheKey: string | null;
  }
  interface FastifyReply {
    /**
     * A value that differs per visitor (a CSRF token, a form stamp) on a page that may be cached:
     * the cached copy keeps a placeholder that each response fills anew.
     */
    hole(name: string): string;
  }
}

type HoleFill = (reply: FastifyReply) => string;

interface Entry {
  /** The page split around its holes: text, hole name, text, hole name, …, text. */
  pieces: string[];
  /** A page without holes, encoded once: encoding 30 kB of UTF-8 per answer cost more than the rest. */
  encoded: Buffer | null;
  /** The same, gzipped once, for browsers that accept it (a fifth of the bytes on a phone's connection). */
  gzipped: Buffer | null;
  contentType: string;
  bytes: number;
  /** Work a cached answer must still do, e.g. count a view. */
  onServe: Array<() => void>;
}

const holeName = /^[a-z][a-z-]*$/;

/**
 * Anonymous visitors all see the same public pages, so a rendered page is kept in memory for a few
 * seconds and given to the next anonymous visitor without touching the database. Signed-in people,
 * flash messages and anything but GET are never cached. Any successful state-changing request and
 * every search index update empty the cache, so this process never serves a page older than the
 * last change it made; other processes sharing the database see the change within PAGE_CACHE_SECONDS.
 */
export function createPageCache({ seconds, maxBytes }: { seconds: number; maxBytes: number }) {
  // Least recently used pages leave first once their bytes pass maxBytes; a page larger than the whole
  // cache is never kept. The clock is the one the caller passes (tests step it by hand).
  let clock = Date.now();
  const entries = new LRUCache<string, Entry>({
    maxSize: Math.max(1, maxBytes),
    maxEntrySize: Math.max(1, maxBytes),
    sizeCalculation: (entry) => entry.bytes,
    // lru-cache drops an entry once more than `ttl` has passed; a page is gone at exactly PAGE_CACHE_SECONDS.
    ttl: Math.max(1, seconds * 1000 - 1),
    // Exact expiry on the caller's clock, rather than a timer-cached performance.now().
    ttlResolution: 0,
    perf: { now: () => clock },
  });
  // Hole markers carry a secret of this cache: a visitor who types `__pagehole_csrf__` into a search
  // or a title cannot make the cache fill it with someone's token (issue 10, finding 10). Markers
  // never leave the process (every response fills them), so the secret is never shown.
  const secret = randomBytes(12).toString('hex');
  const markerOf = (name: string) => `__pagehole_${secret}_${name}__`;
  const splitter = new RegExp(`__pagehole_${secret}_([a-z][a-z-]*)__`, 'g');
  const fills = new Map<string, HoleFill>();
  const clearListeners: Array<() => void> = [];
  return {
    enabled: seconds > 0,
    /** Declares how to fill a hole; `reply.hole(name)` may then be used in pages. */
    defineHole(name: string, fill: HoleFill) {
      if (!holeName.test(name)) throw new Error(`hole names are lower-case words with dashes: ${name}`);
      fills.set(name, fill);
    },
    /** The placeholder a cached page keeps for a hole. */
    markerOf,
    /** A page split around its holes: text, hole name, text, …, text. */
    split: (page: string) => page.split(splitter),
    /** How to fill a hole; undefined for a name nobody defined (text that only looks like a marker). */
    fillOf(name: string): HoleFill | undefined {
      return fills.get(name);
    },
    get(key: string, now = Date.now()): Entry | undefined {
      clock = now;
      return entries.get(key);
    },
    set(key: string, page: { pieces: string[]; contentType: string; onServe: Array<() => void> }, now = Date.now()) {
      clock = now;
      const encoded = page.pieces.length === 1 ? Buffer.from(page.pieces[0]) : null;
      const gzipped = encoded ? gzipSync(encoded) : null;
      // UTF-16 in memory: two bytes a character, plus the encoded copies.
      const size = page.pieces.reduce((sum, piece) => sum + piece.length * 2, key.length * 2 + (encoded?.length ?? 0) + (gzipped?.length ?? 0));
      entries.set(key, { ...page, encoded, gzipped, bytes: size });
    },
    /**
     * Forget every page: something public may have changed. Listeners hear of it (other nodes are told,
     * see cross-node-invalidation.ts) unless the news came from another node already.
     */
    clear({ announce = true }: { announce?: boolean } = {}) {
      entries.clear();
      if (announce) for (const listener of clearListeners) listener();
    },
    onClear(listener: () => void) {
      clearListeners.push(listener);
    },
    stats: () => ({ pages: entries.size, bytes: entries.calculatedSize }),
  };
}

export type PageCache = ReturnType<typeof createPageCache>;

const unchanging = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Accept-Encoding names gzip (or *) without refusing it with q=0. */
export function acceptsGzip(request: Pick<FastifyRequest, 'headers'>): boolean {
  const header = request.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name.trim() !== 'gzip' && name.trim() !== '*') return false;
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    return q === undefined || Number(q) > 0;
  });
}

function assemble(pieces: string[], value: (name: string) => string): string {
  if (pieces.length === 1) return pieces[0];
  let out = '';
  for (let i = 0; i < pieces.length; i++) out += i % 2 === 0 ? pieces[i] : value(pieces[i]);
  return out;
}

/**
 * Fills each hole once per response (every CSRF field of a page gets the same token). Only names
 * defined with defineHole are ever marked, so an unknown one cannot occur; it would be left empty.
 */
function holeValues(reply: FastifyReply, cache: PageCache, known: Map<string, string> = new Map()) {
  return (name: string) => {
    let value = known.get(name);
    if (value === undefined) {
      value = cache.fillOf(name)?.(reply) ?? '';
      known.set(name, value);
    }
    return value;
  };
}

export default fp(
  async (app) => {
    const cache = app.pageCache;
    const sessionCookie = app.sessionCookieName;
    cache.defineHole('csrf', (reply) => reply.generateCsrf());

    app.decorateRequest('pageCacheKey', null);
    // Values computed while rendering a page that will be cached, to put back into this response.
    const rendered = new WeakMap<FastifyReply, Map<string, string>>();
    app.decorateReply('hole', function hole(this: FastifyReply, name: string) {
      const fill = cache.fillOf(name);
      if (!fill) throw new Error(`no page hole named ${name}`);
      if (!this.request.pageCacheKey) return fill(this);
      // Computed now, while cookies can still be set; the page keeps the marker.
      const values = rendered.get(this) ?? new Map<string, string>();
      rendered.set(this, values);
      if (!values.has(name)) values.set(name, fill(this));
      return cache.markerOf(name);
    });

    const onServe = new WeakMap<object, Array<() => void>>();
    // The route does the work itself too: registering only repeats it for cached answers.
    app.decorate('onPageServe', (request: object, work: () => void) => {
      const list = onServe.get(request) ?? [];
      list.push(work);
      onServe.set(request, list);
    });

    if (!cache.enabled) return;

    // Runs after the cookie, language, session and flash hooks: all that makes a page personal is known.
    app.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'GET' || !request.routeOptions.config?.pageCache) return;
      if (request.user || request.cookies[sessionCookie] || request.flashMessage) return;
      const key = `${request.locale} ${request.protocol}://${request.headers.host ?? ''}${request.url}`;
      const entry = cache.get(key);
      if (!entry) {
        request.pageCacheKey = key;
        return;
      }
      for (const work of entry.onServe) work();
      reply.header('content-type', entry.contentType).header('x-page-cache', 'hit').header('vary', 'accept-encoding');
      if (entry.gzipped && acceptsGzip(request)) return reply.header('content-encoding', 'gzip').send(entry.gzipped);
      return reply.send(entry.encoded ?? assemble(entry.pieces, holeValues(reply, cache)));
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const key = request.pageCacheKey;
      if (!key || typeof payload !== 'string') return payload;
      const pieces = cache.split(payload);
      const contentType = String(reply.getHeader('content-type') ?? '');
      if (reply.statusCode === 200 && contentType.startsWith('text/html')) {
        cache.set(key, { pieces, contentType, onServe: onServe.get(request) ?? [] });
        reply.header('x-page-cache', 'miss').header('vary', 'accept-encoding');
      }
      return assemble(pieces, holeValues(reply, cache, rendered.get(reply)));
    });

    app.addHook('onResponse', async (request, reply) => {
      if (!unchanging.has(request.method) && reply.statusCode < 400) cache.clear();
    });
  },
  { name: 'page-cache', dependencies: ['@fastify/cookie', 'i18n', 'sessions', 'csrf', 'flash'] },
);
