import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';

export const apiTags = { actions: 'CKAN Action API', feeds: 'Catalogue feeds', services: 'Data services' } as const;

/**
 * The OpenAPI 3 document of the machine-facing routes, generated from their zod schemas. Registered
 * before those routes so that it sees them; only routes with a tag are documented (the HTML pages
 * have none).
 */
export default fp(
  async (app: FastifyInstance) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Cổng dữ liệu mở — API',
          description:
            'CKAN-compatible Action API (read without a token; write with an agency token, always into a draft that the agency leader approves), DCAT-AP 3 and DCAT-US 1.1 catalogue feeds and Frictionless data packages. Human-readable guide: /api',
          version: '3',
        },
        tags: Object.values(apiTags).map((name) => ({ name })),
        components: {
          securitySchemes: {
            apiToken: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'An agency API token, as `Authorization: <token>` or `Authorization: Bearer <token>` (X-CKAN-API-Key also works).' },
          },
        },
      },
      hideUntagged: true,
      transform: jsonSchemaTransform,
    });
  },
  { name: 'openapi' },
);

/** Routes of a plugin that calls this validate and document themselves with zod schemas. */
export function useZodSchemas(app: FastifyInstance) {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
}
