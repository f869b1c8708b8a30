import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

const publicDir = fileURLToPath(new URL('../../public', import.meta.url));
// The Vietnamese font ships in an npm package and is served by the portal itself: no CDN.
const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@fontsource/be-vietnam-pro/package.json')), 'files');
// Leaflet for maps on resource pages, also from its npm package.
const leafletDir = path.join(path.dirname(createRequire(import.meta.url).resolve('leaflet/package.json')), 'dist');

export default fp(
  async (app) => {
    const maxAge = app.config.NODE_ENV === 'production' ? '1d' : 0;
    // preCompressed: the .br/.gz copies written by `npm run compress-assets` go to browsers that accept them.
    await app.register(fastifyStatic, { root: publicDir, prefix: '/public/', maxAge, index: false, preCompressed: true });
    await app.register(fastifyStatic, {
      root: fontDir,
      prefix: '/assets/fonts/',
      decorateReply: false,
      maxAge: '365d',
      immutable: true,
      allowedPath: (pathName) => /^\/be-vietnam-pro-(vietnamese|latin|latin-ext)-(400|600|700)-normal\.woff2?$/.test(pathName),
    });
    await app.register(fastifyStatic, {
      root: leafletDir,
      prefix: '/assets/leaflet/',
      decorateReply: false,
      maxAge,
      allowedPath: (pathName) => /^\/(leaflet\.js|leaflet\.css|images\/[a-z0-9-]+\.png)$/.test(pathName),
    });
  },
  { name: 'static-assets' },
);
