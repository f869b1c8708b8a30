import fp from 'fastify-plugin';
import { AppError } from '../lib/errors.ts';

/**
 * Control characters have no business in what a person types, and PostgreSQL refuses NUL in text
 * (error 22021), which once turned `?q=%00` into a 500 (issue 10, finding 5). One check for every
 * route, before any handler runs: the query string, the path parameters and the fields of a parsed
 * form or JSON body. Multi-line fields keep their tabs and line breaks; the URL gets none at all.
 * A multipart upload's fields are read by its handler, which trims and bounds them itself.
 */
const inUrl = /\p{Cc}/u;
const inBody = /(?![\t\n\r])\p{Cc}/u;
/** A body of thousands of fields is refused elsewhere; this bounds the walk over nested JSON. */
const maxDepth = 20;

function hasControl(value: unknown, pattern: RegExp, depth = 0): boolean {
  if (typeof value === 'string') return pattern.test(value);
  if (depth > maxDepth || value === null || typeof value !== 'object') return false;
  if (Buffer.isBuffer(value)) return false;
  for (const [key, item] of Object.entries(value)) {
    if (pattern.test(key) || hasControl(item, pattern, depth + 1)) return true;
  }
  return false;
}

export class ControlCharacterError extends AppError {
  constructor() {
    super(400, 'control_characters', 'security.control_characters');
  }
}

export default fp(
  async (app) => {
    app.addHook('preValidation', async (request) => {
      if (hasControl(request.query, inUrl) || hasControl(request.params, inUrl) || hasControl(request.body, inBody)) {
        throw new ControlCharacterError();
      }
    });
  },
  { name: 'input-guard' },
);
