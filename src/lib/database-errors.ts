/**
 * Errors that mean "the database is not there right now" rather than "this request is wrong":
 * the server is restarting, refusing connections, or our handle to it is closed. They answer 503
 * with Retry-After (issue 10, finding 9), so that proxies, monitors and people know to come back.
 */
const unavailableCodes = new Set([
  // Sockets
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  // PostgreSQL: connection exceptions (08…), shutting down or starting (57P01–57P03), too many connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** Thrown by code that needs something only the database can give (a key) while it is away. */
export class DatabaseUnavailableError extends Error {
  readonly code = '57P03';
}

const unavailableMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Cannot use a pool after calling end on the pool/,
  /^Client has encountered a connection error and is not queryable/,
  /^PGlite is closed/,
];

/** True when the error, or one it wraps (Drizzle wraps the driver's), says the database is away. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && unavailableCodes.has(code)) return true;
    if (typeof message === 'string' && unavailableMessages.some((pattern) => pattern.test(message))) return true;
    // An AggregateError (pg tries IPv4 and IPv6) carries each attempt.
    const inner = (current as { errors?: unknown[] }).errors;
    if (Array.isArray(inner) && inner.some((item) => isDatabaseUnavailable(item))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
