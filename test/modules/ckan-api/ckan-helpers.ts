import type { FastifyInstance } from 'fastify';

/** CKAN's envelope; results are checked field by field in the tests. */
export interface CkanBody {
  help: string;
  success: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: a CKAN dict, read field by field.
  result: any;
  // biome-ignore lint/suspicious/noExplicitAny: a CKAN error dict, read field by field.
  error: any;
}

/** Calls an action as a CKAN client would: GET with query parameters, or POST with a JSON body. */
export async function callAction(
  app: FastifyInstance,
  name: string,
  params: Record<string, unknown> = {},
  options: { method?: 'GET' | 'POST'; token?: string; headers?: Record<string, string>; version?: 2 | 3 | null } = {},
) {
  const method = options.method ?? (Object.values(params).some((value) => typeof value === 'object') ? 'POST' : 'GET');
  const prefix = options.version === null ? '/api/action' : `/api/${options.version ?? 3}/action`;
  const headers: Record<string, string> = { ...(options.token ? { authorization: options.token } : {}), ...options.headers };
  const query = new URLSearchParams(Object.entries(params).map(([key, value]) => [key, String(value)] as [string, string])).toString();
  const response =
    method === 'GET'
      ? await app.inject({ method, url: `${prefix}/${name}${query ? `?${query}` : ''}`, headers })
      : await app.inject({ method, url: `${prefix}/${name}`, payload: params, headers: { ...headers, 'content-type': 'application/json' } });
  return { status: response.statusCode, body: response.json() as CkanBody };
}

export const naiveUtcMicroseconds = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;
