import type { Database } from '../db/client.ts';
import { hitRateLimit, readRateLimit } from '../modules/cross-node-state/cross-node-state.repository.ts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A @fastify/rate-limit store in PostgreSQL: every node counts the same attempts, so ten feedback
 * posts or thirty sign-ins are ten or thirty in all, not per process (issue 17, item 5). Each route
 * gets its own counters (the plugin asks for a child store per route).
 */
export function postgresRateLimitStore(db: Database) {
  return class PostgresRateLimitStore {
    constructor(
      _options: unknown,
      private readonly prefix = '',
    ) {}

    incr(key: string, callback: Callback, timeWindow: number) {
      hitRateLimit(db, `${this.prefix}${key}`, timeWindow).then(
        ({ hits, ttlMs }) => callback(null, { current: hits, ttl: ttlMs }),
        (error: Error) => callback(error),
      );
    }

    read(key: string, callback: Callback) {
      readRateLimit(db, `${this.prefix}${key}`).then(
        ({ hits, ttlMs }) => callback(null, { current: hits, ttl: ttlMs }),
        (error: Error) => callback(error),
      );
    }

    // The plugin passes the route's merged limit options, with the route itself as routeInfo.
    child(routeOptions: object) {
      const route = (routeOptions as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo;
      return new PostgresRateLimitStore(routeOptions, `${[route?.method ?? ''].flat().join(',')} ${route?.url ?? ''} `);
    }
  };
}
