import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/** CSP without inline scripts or styles: every script and stylesheet is a file the portal serves. */
export default fp(
  async (app) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
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
