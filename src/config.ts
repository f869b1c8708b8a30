import path from 'node:path';
import { z } from 'zod';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalUrl = (description: string) =>
  z.preprocess(emptyToUndefined, z.url({ error: 'must be a URL' }).optional()).describe(description);

/**
 * Every environment variable the portal reads, with what it means. README's configuration table is
 * checked against this schema by a test, so a new variable must be described here.
 */
export const configSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'production', 'test'])
      .default('development')
      .describe('development shows readable logs and reloads templates; production caches them.'),
    PORT: z.coerce
      .number({ error: 'must be a port number' })
      .int()
      .min(0)
      .max(65535, { error: 'must be a port number (0–65535)' })
      .default(3000)
      .describe('TCP port the HTTP server listens on.'),
    HOST: z.string().min(1).default('127.0.0.1').describe('Address to listen on; 0.0.0.0 in a container.'),
    BASE_URL: z
      .preprocess(emptyToUndefined, z.url({ error: 'must be a URL such as https://data.example.gov.vn' }).optional())
      .describe('Public address of the portal, used in links, mails, sitemaps and cookies (https → Secure cookies). Required when NODE_ENV=production; elsewhere links use HOST:PORT, never the Host header.'),
    TRUST_PROXY: z
      .preprocess(emptyToUndefined, z.string().optional())
      .describe('Proxies whose X-Forwarded-For is believed: a hop count (1), or addresses/CIDRs (10.0.0.1,10.0.0.0/8). Absent: the socket address is the client.'),
    DATA_DIR: z
      .string()
      .min(1)
      .default('./data')
      .describe('Directory for uploaded files and, without DATABASE_URL, the embedded database.'),
    DATABASE_URL: z
      .preprocess(
        emptyToUndefined,
        z
          .string()
          .regex(/^postgres(ql)?:\/\//, { error: 'must start with postgres:// or postgresql://' })
          .optional(),
      )
      .describe('PostgreSQL connection string. Absent: an embedded PGlite database under DATA_DIR.'),
    MEILI_URL: optionalUrl('Meilisearch address. Absent: search uses PostgreSQL full-text search.'),
    MEILI_MASTER_KEY: z
      .preprocess(emptyToUndefined, z.string().optional())
      .describe('Meilisearch API key (required when MEILI_URL is set).'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('pino log level.'),
    DEFAULT_LOCALE: z.enum(['vi', 'en']).default('vi').describe('Language of pages when the visitor has not chosen one.'),
    SESSION_IDLE_MINUTES: z.coerce
      .number({ error: 'must be a number of minutes' })
      .int()
      .min(1)
      .max(24 * 60)
      .default(30)
      .describe('A back-office session ends after this many minutes without a request.'),
    SESSION_ABSOLUTE_HOURS: z.coerce
      .number({ error: 'must be a number of hours' })
      .int()
      .min(1)
      .max(7 * 24)
      .default(12)
      .describe('A back-office session ends this many hours after sign-in, however active.'),
    UPLOAD_MAX_MB: z.coerce
      .number({ error: 'must be a number of megabytes' })
      .int()
      .min(1)
      .max(10_240)
      .default(200)
      .describe('Largest file an officer may upload, in megabytes.'),
    PAGE_CACHE_SECONDS: z.coerce
      .number({ error: 'must be a number of seconds' })
      .int()
      .min(0)
      .max(3600)
      .default(10)
      .describe('Anonymous visitors get public pages from memory for this long (0: off). This process forgets them at once when anything is published or changed; other processes within this time.'),
    PAGE_CACHE_MB: z.coerce
      .number({ error: 'must be a number of megabytes' })
      .int()
      .min(1)
      .max(4096)
      .default(64)
      .describe('Memory the page cache may use; the oldest pages are dropped first.'),
    PGLITE_THREAD: z
      .enum(['on', 'off'])
      .default('on')
      .describe('Embedded database only (no DATABASE_URL): on runs it in a worker thread, so that pages render while statements run; off runs it on the main thread.'),
    MAP_TILE_URL: z
      .preprocess(
        emptyToUndefined,
        z
          .string()
          .regex(/^https?:\/\/[^/\s]+\/\S*\{z\}\S*\{x\}\S*\{y\}/, {
            error: 'must be a tile address such as https://tile.example/{z}/{x}/{y}.png',
          })
          .optional(),
      )
      .describe('Map tile address with {z}, {x}, {y} (and optionally {s}) for maps on resource pages. Absent: no maps.'),
    MAP_ATTRIBUTION: z
      .preprocess(emptyToUndefined, z.string().max(300).optional())
      .describe('Credit shown on maps for the tiles (plain text), e.g. © OpenStreetMap contributors.'),
    SMTP_URL: z
      .preprocess(emptyToUndefined, z.string().regex(/^smtps?:\/\//, { error: 'must start with smtp:// or smtps://' }).optional())
      .describe('SMTP server for notifications (smtps://user:pass@host:465). Absent: no mail; the back-office inboxes still show everything.'),
    MAIL_FROM: z.string().min(3).default('Cổng dữ liệu mở <no-reply@localhost>').describe('Sender of notification mails.'),
    S3_BUCKET: z
      .preprocess(emptyToUndefined, z.string().min(3).max(63).optional())
      .describe('Bucket for uploaded files in an S3-compatible store. Absent: files live under DATA_DIR/files.'),
    S3_ENDPOINT: optionalUrl('S3-compatible endpoint (MinIO: http://minio:9000). Absent with S3_BUCKET: AWS S3.'),
    S3_PUBLIC_ENDPOINT: optionalUrl(
      'Address at which browsers reach the S3 endpoint (https://files.example.gov.vn), when S3_ENDPOINT is an internal one. Set, or with AWS S3: downloads answer with a short-lived presigned redirect. Absent with S3_ENDPOINT: downloads stream through the node.',
    ),
    S3_REGION: z.string().min(1).default('us-east-1').describe('Region of the S3 bucket (MinIO accepts any).'),
    S3_ACCESS_KEY_ID: z
      .preprocess(emptyToUndefined, z.string().optional())
      .describe('Access key for S3_BUCKET (required with it).'),
    S3_SECRET_ACCESS_KEY: z
      .preprocess(emptyToUndefined, z.string().optional())
      .describe('Secret key for S3_BUCKET (required with it).'),
    METRICS_TOKEN: z
      .preprocess(emptyToUndefined, z.string().min(16, { error: 'must be at least 16 characters' }).optional())
      .describe('Bearer token Prometheus sends to read /metrics. Absent: /metrics answers only connections from this machine (127.0.0.1, ::1).'),
    SEED_DEMO: z
      .enum(['auto', 'always', 'never'])
      .default('auto')
      .describe('auto: load the demo catalogue into an empty embedded database; always: into any empty database; never: start empty.'),
  })
  .superRefine((env, ctx) => {
    // Links in mail and canonical URLs come from configuration only; in production HOST:PORT is an
    // internal address (0.0.0.0:3000 behind a proxy), so the public one must be given.
    if (env.NODE_ENV === 'production' && !env.BASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['BASE_URL'], message: 'is required when NODE_ENV=production (the public address, e.g. https://data.example.gov.vn, used in links and mails)' });
    }
    if (env.MEILI_URL && !env.MEILI_MASTER_KEY) {
      ctx.addIssue({ code: 'custom', path: ['MEILI_MASTER_KEY'], message: 'is required when MEILI_URL is set' });
    }
    for (const key of ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
      if (env.S3_BUCKET && !env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when S3_BUCKET is set' });
    }
  });

export type Config = z.infer<typeof configSchema> & {
  /** Absolute path of DATA_DIR. */
  dataDir: string;
  /** TRUST_PROXY as Fastify's trustProxy option: false, "trust the first n hops", or a list of addresses. */
  trustProxy: boolean | string[] | ((address: string, hop: number) => boolean);
};

function parseTrustProxy(value: string | undefined): Config['trustProxy'] {
  if (!value) return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address: string, hop: number) => hop < hops;
  }
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

export class ConfigError extends Error {}

/** Parses the environment once; an invalid value throws one readable line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `${name} ${issue.message} (got ${JSON.stringify(env[name] ?? '')})`;
    });
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR), trustProxy: parseTrustProxy(parsed.data.TRUST_PROXY) };
}

/** Descriptions of every variable, for the README table and `cli config`. */
export function describeConfig(): Array<{ name: string; description: string; defaultValue: string }> {
  return Object.entries(configSchema.shape).map(([name, field]) => {
    const fallback = (field as z.ZodType).safeParse(undefined);
    return {
      name,
      description: field.description ?? '',
      defaultValue: fallback.success && fallback.data !== undefined ? String(fallback.data) : '',
    };
  });
}
