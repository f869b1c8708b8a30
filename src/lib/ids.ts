import { notFound } from './errors.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && uuidPattern.test(value);
}

/** An id from a URL that is not a UUID names nothing: 404, rather than a database error. */
export function requireUuid(value: unknown, messageKey = 'errors.not_found'): string {
  if (!isUuid(value)) throw notFound(messageKey);
  return value;
}
