import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

/** Addresses that mean "every interface": a link to them reaches nobody, so links say localhost. */
const wildcardHosts = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The portal's public address, from configuration only: BASE_URL, or (outside production, where
 * BASE_URL is required) the address the server listens on. Never the request's Host header: a
 * visitor chooses that header, and a link built from it would send an agency's officer to any site
 * (issue 10, finding 4) or poison a cached page's canonical link.
 */
export function configuredBaseUrl(config: Pick<Config, 'BASE_URL' | 'HOST' | 'PORT'>): string {
  if (config.BASE_URL) return config.BASE_URL.replace(/\/$/, '');
  const host = wildcardHosts.has(config.HOST) ? 'localhost' : config.HOST.includes(':') && !config.HOST.startsWith('[') ? `[${config.HOST}]` : config.HOST;
  return `http://${host}${config.PORT === 80 ? '' : `:${config.PORT}`}`;
}

/**
 * The same for call sites that have a request at hand; the request is deliberately not read (see
 * configuredBaseUrl). It stays a parameter so that the modules calling this need no change.
 */
export function baseUrlOf(app: Pick<FastifyInstance, 'config'>, _request?: unknown): string {
  return configuredBaseUrl(app.config);
}
