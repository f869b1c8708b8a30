import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { Queryable } from '../../db/client.ts';
import { DatabaseUnavailableError } from '../../lib/database-errors.ts';
import { ensureSecret, useStampOnce } from '../cross-node-state/cross-node-state.repository.ts';

/**
 * Anti-abuse without an account (issue 6, point 2). The form carries the time it was shown, signed,
 * so a robot cannot claim it waited. The signing key is made once per deployment and kept in the
 * database, so a form served by one node is accepted by another and survives a restart (issue 17,
 * item 5). Each stamp is accepted once, on any node: a robot cannot replay one for a day (issue 10,
 * finding 11).
 */

/** A person needs at least this long to read the form and type a message. */
export const minimumFillSeconds = 3;
/** A form left open longer than this is refreshed rather than trusted. */
export const maximumFormAgeHours = 24;

export type StampCheck = 'ok' | 'too_fast' | 'expired' | 'reused';

const stampPattern = /^(\d{13})\.([\w-]{12})\.([\w-]{43})$/;

export function createFormStamps(db: Queryable) {
  let key: Buffer | null = null;

  function sign(issuedAt: number, nonce: string): string {
    if (!key) throw new DatabaseUnavailableError('the feedback form key could not be read from the database yet');
    return createHmac('sha256', key).update(`feedback-form:${issuedAt}.${nonce}`).digest('base64url');
  }

  return {
    get loaded() {
      return key !== null;
    },
    /** Reads (or, the very first time, makes) the deployment's key. */
    async load() {
      key ??= Buffer.from(await ensureSecret(db, 'feedback-form-key'), 'base64url');
    },
    /** The hidden `stamp` value of a form shown now (tests pass an earlier time). */
    issue(now = Date.now()): string {
      const nonce = randomBytes(9).toString('base64url');
      return `${now}.${nonce}.${sign(now, nonce)}`;
    },
    /**
     * A missing, damaged or forged stamp counts as too fast: the sender did not use our form as
     * shown. A good stamp is used up by this check, whatever becomes of the message.
     */
    async check(stamp: unknown, now = Date.now()): Promise<StampCheck> {
      if (typeof stamp !== 'string') return 'too_fast';
      const match = stampPattern.exec(stamp);
      if (!match) return 'too_fast';
      const issuedAt = Number(match[1]);
      const expected = Buffer.from(sign(issuedAt, match[2]));
      const given = Buffer.from(match[3]);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'too_fast';
      const ageMs = now - issuedAt;
      if (ageMs < minimumFillSeconds * 1000) return 'too_fast';
      if (ageMs > maximumFormAgeHours * 3_600_000) return 'expired';
      const firstUse = await useStampOnce(db, createHash('sha256').update(stamp).digest('hex'));
      return firstUse ? 'ok' : 'reused';
    },
  };
}

export type FormStamps = ReturnType<typeof createFormStamps>;

declare module 'fastify' {
  interface FastifyInstance {
    feedbackStamps: FormStamps;
  }
}

/**
 * Makes `app.feedbackStamps` available everywhere (the dataset page shows the form too). The key is
 * read at start and, until that succeeds, before each request; while the database is away a page
 * that needs it gets the usual 503, and the next request tries again.
 */
export const formStampsPlugin = fp(
  async (app) => {
    const stamps = createFormStamps(app.db);
    app.decorate('feedbackStamps', stamps);
    app.addHook('onReady', async () => {
      await stamps.load().catch((error) => app.log.warn({ err: error }, 'feedback form key not loaded; the first request will try again'));
    });
    // Failing here would take /healthz down with the database: a page that needs the key and does
    // not have it answers 503 when it asks (DatabaseUnavailableError).
    app.addHook('onRequest', async () => {
      if (!stamps.loaded) await stamps.load().catch(() => {});
    });
  },
  { name: 'feedback-stamps' },
);

/** The honeypot: a field people never see; anything in it came from a robot filling every box. */
export const honeypotField = 'website';

export function filledHoneypot(body: unknown): boolean {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[honeypotField] : undefined;
  return typeof value === 'string' && value.trim() !== '';
}
