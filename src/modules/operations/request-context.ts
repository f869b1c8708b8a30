import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';

/**
 * The id of the request being served, wherever the code runs: Fastify's request.log already carries
 * it, but services are handed app.log (the search fallback, the mailer, the indexer's callers) and
 * their lines would otherwise lose it.
 */
export const requestContext = new AsyncLocalStorage<string>();

/**
 * pino mixin: adds reqId to a line logged inside a request by a logger that does not carry one
 * already (request.log does; adding it again would print the key twice).
 */
export function requestIdMixin(_object: object, _level: number, logger: Logger): object {
  const reqId = requestContext.getStore();
  if (reqId === undefined || 'reqId' in logger.bindings()) return {};
  return { reqId };
}
