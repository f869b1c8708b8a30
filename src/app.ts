import { randomUUID } from 'node:crypto';
import path from 'node:path';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { type Database, type DatabaseHandle, openDatabase } from './db/client.ts';
import { claimEmbeddedDatabase } from './db/embedded-claim.ts';
import accountRoutes from './modules/accounts/accounts.routes.ts';
import agencyRoutes from './modules/agencies/agencies.routes.ts';
import backofficeRoutes from './modules/backoffice/backoffice.routes.ts';
import catalogueRoutes from './modules/catalogue/catalogue.routes.ts';
import catalogueJobs from './modules/catalogue/catalogue.jobs.ts';
import qualityJobs from './modules/quality/quality.jobs.ts';
import datasetRoutes from './modules/datasets/datasets.routes.ts';
import { formStampsPlugin } from './modules/feedback/feedback.antispam.ts';
import feedbackRoutes from './modules/feedback/feedback.routes.ts';
import healthRoutes from './modules/health/health.routes.ts';
import homeRoutes from './modules/home/home.routes.ts';
import resourceRoutes from './modules/resources/resources.routes.ts';
import stats from './modules/stats/stats.plugin.ts';
import { createSettingsService, type SettingsService } from './modules/settings/settings.service.ts';
import topicRoutes from './modules/topics/topics.routes.ts';
import ckanActions from './modules/ckan-api/ckan-actions.ts';
import crossNodeInvalidation from './plugins/cross-node-invalidation.ts';
import ckanApiRoutes from './modules/ckan-api/ckan-api.routes.ts';
import openApi from './modules/ckan-api/openapi.plugin.ts';
import apiTokenRoutes from './modules/api-tokens/api-tokens.routes.ts';
import dcatRoutes from './modules/dcat/dcat.routes.ts';
import dataServiceRoutes from './modules/data-services/data-services.routes.ts';
import datastore from './modules/datastore/datastore.plugin.ts';
import jobs from './modules/jobs/jobs.plugin.ts';
import csrf from './plugins/csrf.ts';
import errors from './plugins/errors.ts';
import flash from './plugins/flash.ts';
import inputGuard from './plugins/input-guard.ts';
import i18n from './plugins/i18n.ts';
import pageCache, { createPageCache } from './plugins/page-cache.ts';
import { postgresRateLimitStore } from './plugins/rate-limit-store.ts';
import securityHeaders from './plugins/security-headers.ts';
import sessions from './plugins/sessions.ts';
import staticAssets from './plugins/static-assets.ts';
import views from './plugins/views.ts';
import { startHousekeeping } from './modules/housekeeping/housekeeping.ts';
import mailQueue from './modules/notifications/mail-queue.ts';
import { createMailer, type Mailer } from './modules/notifications/mailer.ts';
import { createMeiliEngine } from './modules/search/meili-engine.ts';
import searchRoutes from './modules/search/search.routes.ts';
import seoRoutes from './modules/seo/seo.routes.ts';
import termsRoutes from './modules/terms/terms.routes.ts';
import auditRefusals from './modules/audit/audit.refusals.ts';
import { createPostgresEngine } from './modules/search/postgres-engine.ts';
import { createSearchIndexer, type SearchIndexer } from './modules/search/search.outbox.ts';
import { createSearchService, type SearchService } from './modules/search/search.service.ts';
import type { SearchEngine } from './modules/search/search.types.ts';
import failedJobRoutes from './modules/operations/failed-jobs.routes.ts';
import metrics from './modules/operations/metrics.routes.ts';
import integrityJobs from './modules/operations/integrity.jobs.ts';
import { searchFallbacks } from './modules/operations/metrics.ts';
import { requestContext, requestIdMixin } from './modules/operations/request-context.ts';
import type { FileStorage } from './storage/file-storage.ts';
import { LocalFileStorage } from './storage/local-file-storage.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: DatabaseHandle;
    db: Database;
    storage: FileStorage;
    settings: SettingsService;
    mailer: Mailer;
    datasetSearch: SearchService;
    searchIndexer: SearchIndexer;
    /** The engine answering searches (Meilisearch when configured), for /readyz. */
    searchEngine: SearchEngine;
  }
}

export interface AppOptions {
  config: Config;
  /** An open, migrated database; when absent the app opens one from the config and closes it with itself. */
  database?: DatabaseHandle;
  storage?: FileStorage;
  /** A nodemailer transport to use instead of SMTP_URL (tests pass { jsonTransport: true }). */
  mailTransport?: object;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: NodeJS.WritableStream;
}

const requestIdPattern = /^[\w.-]{1,64}$/;

export async function buildApp({ config, database, storage, mailTransport, logStream }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Every line logged while serving a request carries its id, also from services given app.log.
    logger: { level: config.LOG_LEVEL, mixin: requestIdMixin, ...(logStream ? { stream: logStream } : {}) },
    // Keep a caller's request id (a proxy's X-Request-Id) so that logs line up across systems.
    requestIdHeader: 'x-request-id',
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    },
    // Only a configured proxy may say who the client is: rate limits and the audit log depend on it.
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
  });

  const ownsDatabase = !database;
  const handle = database ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, logger: app.log, inThread: config.PGLITE_THREAD === 'on' }));
  // PGlite is one connection: a second app on it fails here with a sentence (see embedded-claim.ts).
  const releaseDatabase = claimEmbeddedDatabase(handle);
  app.addHook('onClose', async () => releaseDatabase());
  app.decorate('config', config);
  app.decorate('database', handle);
  app.decorate('db', handle.db);
  app.decorate('storage', storage ?? new LocalFileStorage(path.join(config.dataDir, 'files')));
  app.decorate('mailer', createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, transport: mailTransport, log: app.log }));
  // PostgreSQL full-text search always keeps an index (the fallback); Meilisearch is added when configured.
  const postgresEngine = createPostgresEngine(handle.db);
  const meiliEngine = config.MEILI_URL ? createMeiliEngine(config.MEILI_URL, config.MEILI_MASTER_KEY ?? '') : null;
  const pages = createPageCache({ seconds: config.PAGE_CACHE_SECONDS, maxBytes: config.PAGE_CACHE_MB * 1024 * 1024 });
  app.decorate('pageCache', pages);
  app.decorate('settings', createSettingsService(handle.db, { onChange: () => pages.clear() }));
  // A publication reaches search a moment after its request: cached result pages go with it.
  const indexer = createSearchIndexer(handle.db, meiliEngine ? [postgresEngine, meiliEngine] : [postgresEngine], app.log, { onIndexed: () => pages.clear() });
  app.decorate('searchEngine', meiliEngine ?? postgresEngine);
  app.decorate('datasetSearch', createSearchService(handle.db, meiliEngine ? countingFailures(meiliEngine) : postgresEngine, postgresEngine, app.log));
  app.decorate('searchIndexer', indexer);
  app.addHook('onReady', async () => {
    await meiliEngine?.setup().catch((error) => app.log.warn({ err: error }, 'Meilisearch is not reachable; searching PostgreSQL until it is'));
    indexer.start(config.NODE_ENV === 'test' ? 60_000 : 2_000);
  });
  app.addHook('onClose', async () => indexer.stop());
  let stopHousekeeping = () => {};
  app.addHook('onReady', async () => {
    stopHousekeeping = startHousekeeping(handle.db, app.storage, app.sessionPolicy, app.log);
  });
  app.addHook('onClose', async () => stopHousekeeping());
  // First hook of all: the rest of the request runs inside its context (see request-context.ts).
  app.addHook('onRequest', (request, _reply, done) => requestContext.run(request.id, done));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  if (ownsDatabase) app.addHook('onClose', async () => handle.close());

  // Cross-cutting plugins first, then the domain modules.
  // Pages, API answers and feeds are compressed on the way out (a 30 kB search page is 4 kB): brotli
  // at the plugin's quality 4, gzip otherwise at level 4, which costs half the CPU of zlib's default 6
  // for 3 % more bytes (0.38 against 0.74 ms for a search page). Pages from the page cache come
  // compressed already.
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'], zlibOptions: { level: 4 } });
  // Files handed over as attachments are not: they are large (compressing each download would cost
  // the CPU a public service cannot spare) and a download keeps its Content-Length for the progress
  // bar. The plugin honours x-no-compression, and this hook runs before its per-route one.
  app.addHook('onSend', async (request, reply, payload) => {
    if (String(reply.getHeader('content-disposition') ?? '').startsWith('attachment')) request.headers['x-no-compression'] = 'attachment';
    return payload;
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  // Files are streamed by the upload handler; the limit here stops the stream at the configured size.
  // One byte over the limit is let through so that the upload service sees the excess and refuses
  // the file, instead of multipart silently cutting it at the limit.
  await app.register(fastifyMultipart, { limits: { fileSize: config.UPLOAD_MAX_MB * 1024 * 1024 + 1, files: 1, fields: 20, fieldSize: 100_000 } });
  await app.register(securityHeaders);
  await app.register(i18n);
  await app.register(inputGuard);
  await app.register(sessions);
  await app.register(csrf);
  await app.register(flash);
  await app.register(pageCache);
  await app.register(crossNodeInvalidation);
  await app.register(views);
  await app.register(errors);
  await app.register(staticAssets);
  // Tests flush counts themselves: a timer firing mid-test on a loaded machine made counts appear early.
  await app.register(stats, config.NODE_ENV === 'test' ? { flushIntervalMs: 60_000 } : {});
  await app.register(ckanActions);
  await app.register(metrics);
  await app.register(jobs);
  await app.register(mailQueue);
  await app.register(integrityJobs);

  // Limits are set per route (sign-in, feedback); nothing is limited unless a route asks. Counters
  // live in PostgreSQL so that every node counts the same attempts.
  await app.register(fastifyRateLimit, { global: false, store: postgresRateLimitStore(handle.db) });

  // Before any route: the OpenAPI document is built from the routes registered after it.
  await app.register(openApi);
  await app.register(healthRoutes);
  await app.register(homeRoutes);
  await app.register(topicRoutes);
  await app.register(agencyRoutes);
  await app.register(seoRoutes);
  await app.register(termsRoutes);
  await app.register(auditRefusals);
  await app.register(searchRoutes);
  await app.register(formStampsPlugin);
  // Before the dataset routes: it adds the feedback form and answers to the dataset page.
  await app.register(feedbackRoutes);
  await app.register(datasetRoutes);
  // Before the resource routes: it adds the "Data API" panel to the resource page.
  await app.register(datastore);
  await app.register(resourceRoutes);
  await app.register(accountRoutes);
  await app.register(backofficeRoutes);
  await app.register(failedJobRoutes);
  await app.register(ckanApiRoutes);
  await app.register(apiTokenRoutes);
  await app.register(dcatRoutes);
  await app.register(dataServiceRoutes);
  await app.register(catalogueRoutes);
  await app.register(catalogueJobs);
  await app.register(qualityJobs);
  return app;
}

/** The search service answers from PostgreSQL when the engine throws: each throw is a fallback. */
function countingFailures(engine: SearchEngine): SearchEngine {
  return Object.assign(Object.create(engine) as SearchEngine, {
    async search(...args: Parameters<SearchEngine['search']>) {
      try {
        return await engine.search(...args);
      } catch (error) {
        searchFallbacks.inc();
        throw error;
      }
    },
  });
}
