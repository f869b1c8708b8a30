import type { FastifyRequest } from 'fastify';

/** A program asking for JSON (the API, health checks, a fetch with Accept: application/json), not a person's browser. */
export function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return (
    request.url.startsWith('/api/') ||
    request.url === '/healthz' ||
    request.url === '/readyz' ||
    (accept.includes('application/json') && !accept.includes('text/html'))
  );
}
