import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/**
 * The origin map tiles come from, for img-src: "{s}" subdomains become a wildcard. Undefined when
 * no tile server is configured, so the policy stays 'self' only.
 */
export function tileOrigin(tileUrl: string | undefined): string | undefined {
  const match = tileUrl ? /^(https?:)\/\/([^/?#]+)/.exec(tileUrl) : null;
  if (!match) return undefined;
  const host = match[2].replace(/^\{s\}\./, '*.').toLowerCase();
  // Anything else in the host (a stray brace, a quote) would break the header: leave tiles out.
  return /^(\*\.)?[a-z0-9.-]+(:\d+)?$/.test(host) ? `${match[1]}//${host}` : undefined;
}

type Middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/** The headers a helmet middleware sets, collected once: with no nonces they are the same for every answer. */
function headersOf(middleware: Middleware): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: () => {},
  };
  middleware({} as IncomingMessage, response as unknown as ServerResponse, () => {});
  return headers;
}

/**
 * CSP without inline scripts or styles: every script and stylesheet is a file the portal serves.
 * helmet computes the headers; @fastify/helmet rebuilt its middleware on every request, a cost that
 * showed in the cached-page benchmark, so they are computed at start and copied onto each reply.
 */
export default fp(
  async (app) => {
    const tiles = tileOrigin(app.config.MAP_TILE_URL);
    const headers = headersOf(
      helmet({
        contentSecurityPolicy: {
          useDefaults: false,
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'"],
            styleSrc: ["'self'"],
            imgSrc: ["'self'", 'data:', ...(tiles ? [tiles] : [])],
            fontSrc: ["'self'"],
            connectSrc: ["'self'"],
            objectSrc: ["'none'"],
            baseUri: ["'self'"],
            formAction: ["'self'"],
            frameAncestors: ["'none'"],
          },
        },
        // Downloads are meant to be used by other sites' scripts too (open data).
        crossOriginResourcePolicy: { policy: 'cross-origin' },
        strictTransportSecurity: app.config.BASE_URL?.startsWith('https://') ? undefined : false,
      }) as Middleware,
    );
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'security-headers' },
);
