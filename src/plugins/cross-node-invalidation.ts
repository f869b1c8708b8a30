import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import pg from 'pg';
import { crossNodeInvalidations } from '../modules/operations/metrics.ts';

/** What a node tells the others to forget. */
type Cache = 'pages' | 'settings';

export const invalidationChannel = 'portal_invalidate';
const reconnectMs = { first: 500, max: 30_000 };

/**
 * Several app nodes on one PostgreSQL database each keep public pages and the site settings in
 * memory. When a node changes something, it forgets its own copies at once (page-cache.ts,
 * settings.service.ts) and tells the others with NOTIFY; each node LISTENs on a connection of its
 * own and forgets the same copies. A node that loses that connection forgets everything when it is
 * back (it may have missed news) and the caches' own time limits stay as the safety net.
 *
 * PGlite is one process: nothing to tell, so nothing is done.
 */
export default fp(
  async (app: FastifyInstance) => {
    const connectionString = app.database.connectionString;
    if (app.database.driver !== 'postgres' || !connectionString) return;
    const node = randomUUID();

    function forget(cache: Cache) {
      crossNodeInvalidations.inc({ cache });
      if (cache === 'settings') app.settings.forget();
      // A settings change also changes every page; the sender announces pages too, but be sure.
      app.pageCache.clear({ announce: false });
    }

    // Changes made in one request (or one indexer pass) often clear several times: one NOTIFY per kind.
    const pending = new Set<Cache>();
    function announce(cache: Cache) {
      if (pending.size === 0) setImmediate(flush);
      pending.add(cache);
    }
    function flush() {
      const caches = [...pending];
      pending.clear();
      for (const cache of caches) {
        app.db
          .execute(sql`select pg_notify(${invalidationChannel}, ${JSON.stringify({ node, cache })})`)
          .catch((error) => app.log.warn({ err: error, cache }, 'could not tell other nodes to forget a cache; their time limit applies'));
      }
    }
    app.pageCache.onClear(() => announce('pages'));
    app.settings.subscribe(() => announce('settings'));

    let client: pg.Client | null = null;
    let closing = false;
    let delay = reconnectMs.first;
    let timer: NodeJS.Timeout | undefined;

    async function connect(reconnecting: boolean) {
      const listener = new pg.Client({ connectionString });
      listener.on('notification', (message) => {
        if (message.channel !== invalidationChannel || !message.payload) return;
        try {
          const news = JSON.parse(message.payload) as { node?: string; cache?: Cache };
          if (news.node !== node && (news.cache === 'pages' || news.cache === 'settings')) forget(news.cache);
        } catch {
          // Not ours to read: someone else NOTIFYing on the channel.
        }
      });
      listener.on('error', (error) => {
        app.log.warn({ err: error }, 'lost the LISTEN connection for cross-node cache invalidation; reconnecting');
        retry(listener);
      });
      listener.on('end', () => retry(listener));
      try {
        await listener.connect();
        await listener.query(`listen ${invalidationChannel}`);
      } catch (error) {
        app.log.warn({ err: error }, 'could not LISTEN for cross-node cache invalidation; retrying');
        retry(listener);
        return;
      }
      if (closing) {
        await listener.end().catch(() => {});
        return;
      }
      client = listener;
      delay = reconnectMs.first;
      // News sent while this node was not listening is lost: forget everything once.
      if (reconnecting) {
        app.settings.forget();
        app.pageCache.clear({ announce: false });
      }
    }

    function retry(failed: pg.Client) {
      if (closing || (client !== null && client !== failed) || timer) return;
      client = null;
      failed.end().catch(() => {});
      timer = setTimeout(() => {
        timer = undefined;
        void connect(true);
      }, delay);
      timer.unref();
      delay = Math.min(delay * 2, reconnectMs.max);
    }

    app.addHook('onReady', async () => connect(false));
    app.addHook('onClose', async () => {
      closing = true;
      clearTimeout(timer);
      const listener = client;
      client = null;
      await listener?.end().catch(() => {});
    });
  },
  { name: 'cross-node-invalidation', dependencies: ['page-cache'] },
);
