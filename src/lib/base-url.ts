import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The portal's public address: BASE_URL when set, else the scheme and Host the visitor used. */
export function baseUrlOf(app: FastifyInstance, request: FastifyRequest): string {
  return app.config.BASE_URL?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;
}
