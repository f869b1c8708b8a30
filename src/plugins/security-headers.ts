import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

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

/** CSP without inline scripts or styles: every script and stylesheet is a file the portal serves. */
export default fp(
  async (app) => {
    const tiles = tileOrigin(app.config.MAP_TILE_URL);
    await app.register(helmet, {
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
    });
  },
  { name: 'security-headers' },
);
