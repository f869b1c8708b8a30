import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../../lib/database-errors.ts';
import { AppError } from '../../lib/errors.ts';
import { baseUrlOf } from '../../lib/base-url.ts';
import { authenticateToken, hashApiToken, tokenOfHeaders } from '../api-tokens/api-tokens.service.ts';
import { type CkanActionContext, CkanActionError, type CkanUpload, ckanFailure, ckanSuccess } from './ckan-actions.ts';
import type { ReadContext } from './ckan.service.ts';
import {
  currentPackageListWithResources,
  groupList,
  groupShow,
  licenseList,
  organizationList,
  organizationShow,
  packageList,
  packageSearch,
  packageShow,
  resourceShow,
  statusShow,
  tagList,
} from './ckan.service.ts';
import { ckanFieldNames, registerWriteActions } from './ckan-write.actions.ts';
import { apiTags, useZodSchemas } from './openapi.plugin.ts';
import { z } from 'zod';

export const actionPaths = ['/api/3/action/:name', '/api/action/:name', '/api/2/action/:name'];

const text = z.union([z.string(), z.array(z.string())]).optional();

/** The action route's schema: what the OpenAPI document shows; values are checked by each action. */
function actionSchema(actions: string[]) {
  const envelope = z.looseObject({ help: z.string(), success: z.boolean(), result: z.unknown() });
  const failure = z.looseObject({
    help: z.string(),
    success: z.literal(false),
    error: z.looseObject({ __type: z.string(), message: z.string() }).describe('Field names carry lists of messages for a Validation Error.'),
  });
  return {
    tags: [apiTags.actions],
    summary: 'Call a CKAN action',
    description: `GET with query parameters, or POST with a JSON object, a form or multipart (resource_create/resource_update with an \`upload\` file). Actions: ${actions.join(', ')}. Writes need an agency token and always land in a draft revision that the agency's leader approves.`,
    params: z.object({ name: z.string().describe('The action, e.g. package_search') }),
    querystring: z.looseObject({
      id: text.describe('package_show, resource_show, organization_show, group_show: id or name'),
      q: text.describe('package_search: words, or field:value'),
      fq: text.describe('package_search: field:value, -field:value, "quoted", OR, metadata_modified:[2026-01-01T00:00:00Z TO *]'),
      sort: text.describe('package_search: id asc | name asc | metadata_modified desc | score desc …'),
      rows: text.describe('package_search: at most 1000 (default 10)'),
      start: text.describe('package_search: offset of the first result'),
      'facet.field': text.describe('package_search: JSON list, e.g. ["organization","tags","res_format"]'),
      'facet.limit': text.describe('package_search: values per facet (default 50)'),
      all_fields: text.describe('organization_list, group_list, tag_list: whole dicts'),
      limit: text,
      offset: text,
    }),
    security: [{ apiToken: [] }, {}] as Array<Record<string, string[]>>,
    response: { 200: envelope, 400: failure, 403: failure, 404: failure, 409: failure },
  };
}

/** Requests per minute: a token is a known system and gets more than an anonymous address. */
const rateLimit = { perToken: 600, anonymous: 300 };

function helpUrl(app: FastifyInstance, request: FastifyRequest, name: string): string {
  return `${baseUrlOf(app, request)}/api/3/action/help_show?name=${encodeURIComponent(name)}`;
}

/** Turns anything an action throws into CKAN's error kinds, with a sentence in the caller's language. */
export function toCkanError(error: unknown, request: FastifyRequest): CkanActionError {
  if (error instanceof CkanActionError) return error;
  const t = request.t;
  if (error instanceof AppError) {
    const message = t(error.messageKey, error.params);
    if (error.statusCode === 404) return new CkanActionError('notFound', message);
    if (error.statusCode === 403 || error.statusCode === 401) return new CkanActionError('authorization', message);
    if (error.statusCode === 429) return new CkanActionError('rateLimited', message);
    const field = error.field ? (ckanFieldNames[error.field] ?? error.field) : '__form';
    return new CkanActionError('validation', message, { [field]: [message] });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.statusCode === 429) return new CkanActionError('rateLimited', t('errors.rate_limited'));
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_JSON' || fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return new CkanActionError('badRequest', t('ckan.json_invalid'));
  }
  if (fastifyError.code === 'FST_REQ_FILE_TOO_LARGE' || fastifyError.statusCode === 413) {
    return new CkanActionError('validation', t('errors.too_large'), { upload: [t('errors.too_large')] });
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new CkanActionError('badRequest', t('errors.bad_request'));
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    return new CkanActionError('unavailable', t('security.database_unavailable'));
  }
  request.log.error({ err: error }, 'CKAN action failed');
  return new CkanActionError('internal', t('errors.internal'));
}

/**
 * The parameters of a call: the query string, then a JSON object, form fields or multipart fields.
 * A multipart call's file is handed over still streaming (fields sent before it are read first).
 */
async function readParams(request: FastifyRequest): Promise<{ params: Record<string, unknown>; upload?: CkanUpload }> {
  const params: Record<string, unknown> = { ...(request.query as Record<string, unknown>) };
  delete params.lang;
  if (request.method !== 'POST') return { params };
  if (request.isMultipart()) {
    const parts = request.parts()[Symbol.asyncIterator]();
    for (;;) {
      const next = await parts.next();
      if (next.done) return { params };
      const part = next.value;
      if (part.type === 'file') {
        if (part.fieldname !== 'upload') {
          part.file.resume();
          continue;
        }
        return { params, upload: { fileName: part.filename, stream: part.file } };
      }
      params[part.fieldname] = part.value;
    }
  }
  const body = request.body;
  if (body === undefined || body === null || body === '') return { params };
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new CkanActionError('badRequest', request.t('ckan.json_not_object'));
  }
  return { params: { ...params, ...(body as Record<string, unknown>) } };
}

export default async function ckanApiRoutes(app: FastifyInstance) {
  useZodSchemas(app);
  const readContext = (request: FastifyRequest, context: CkanActionContext): ReadContext => ({
    db: app.db,
    t: request.t,
    actor: context.actor ?? null,
    baseUrl: baseUrlOf(app, request),
    defaultLicenceTitle: request.t('ckan.default_licence_title'),
  });
  const read = (verb: (context: ReadContext, params: Record<string, unknown>) => Promise<unknown>) => ({
    handler: (context: CkanActionContext) => verb(readContext(context.request, context), context.params),
  });

  app.registerCkanAction('status_show', {
    handler: async (context) => statusShow(readContext(context.request, context), ['datastore', 'dcat']),
  });
  app.registerCkanAction('package_list', read(packageList));
  app.registerCkanAction('package_show', read(packageShow));
  app.registerCkanAction('package_search', read(packageSearch));
  app.registerCkanAction('current_package_list_with_resources', read(currentPackageListWithResources));
  app.registerCkanAction('organization_list', read(organizationList));
  app.registerCkanAction('organization_show', read(organizationShow));
  app.registerCkanAction('group_list', read(groupList));
  app.registerCkanAction('group_show', read(groupShow));
  app.registerCkanAction('tag_list', read(tagList));
  app.registerCkanAction('license_list', read(async (context) => licenseList(context)));
  app.registerCkanAction('resource_show', read(resourceShow));
  registerWriteActions(app);
  // The `help` address of every answer points here, as CKAN's does.
  app.registerCkanAction('help_show', {
    handler: async ({ request, params }) => {
      const name = typeof params.name === 'string' ? params.name : '';
      if (!app.ckanActions.has(name)) throw new CkanActionError('notFound', request.t('ckan.unknown_action', { name }));
      return request.t('ckan.help_text', { name, guide: `${baseUrlOf(app, request)}/api` });
    },
  });

  async function dispatch(request: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) {
    const name = request.params.name;
    const help = helpUrl(app, request, name);
    try {
      const action = app.ckanActions.get(name);
      if (!action) throw new CkanActionError('badRequest', request.t('ckan.unknown_action', { name }));
      if (action.write && request.method !== 'POST') throw new CkanActionError('badRequest', request.t('ckan.post_only', { name }));
      const check = await authenticateToken(app.db, tokenOfHeaders(request.headers), request.ip);
      if (check.kind === 'invalid') throw new CkanActionError('authorization', request.t('ckan.token_invalid'));
      const { params, upload } = await readParams(request);
      const actor = check.kind === 'valid' ? check.actor : null;
      try {
        const result = await action.handler({ request, params, actor, upload });
        return reply.send(ckanSuccess(help, result));
      } finally {
        // A file the action did not read must still be drained, or the request never ends.
        if (upload && !upload.stream.readableEnded) upload.stream.resume();
      }
    } catch (error) {
      const failure = toCkanError(error, request);
      if (failure.kind === 'unavailable') reply.header('retry-after', '30');
      return reply.code(failure.statusCode).send(ckanFailure(help, failure));
    }
  }

  for (const url of actionPaths) {
    app.route<{ Params: { name: string } }>({
      method: ['GET', 'POST'],
      url,
      schema: actionSchema([...app.ckanActions.keys()].sort()),
      // Calls authenticate with tokens, never with the session cookie: there is nothing to forge.
      onRequest: async (request) => {
        request.skipCsrf = true;
      },
      config: {
        rateLimit: {
          max: async (_request: FastifyRequest, key: string) => (key.startsWith('token:') ? rateLimit.perToken : rateLimit.anonymous),
          timeWindow: '1 minute',
          keyGenerator: (request: FastifyRequest) => {
            const token = tokenOfHeaders(request.headers);
            return token ? `token:${hashApiToken(token)}` : `ip:${request.ip}`;
          },
        },
      },
      errorHandler: async (error, request, reply) => {
        const failure = toCkanError(error, request);
        if (failure.kind === 'unavailable') reply.header('retry-after', '30');
        return reply.code(failure.statusCode).send(ckanFailure(helpUrl(app, request, request.params?.name ?? ''), failure));
      },
      handler: dispatch,
    });
  }

  app.get('/api/openapi.json', async (_request, reply) => reply.type('application/json; charset=utf-8').send(JSON.stringify(app.swagger())));
  app.get('/api', async (request, reply) => reply.page('public/api-guide', { title: request.t('apiguide.title'), baseUrl: baseUrlOf(app, request) }));
}
