import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../accounts/permissions.ts';

/**
 * CKAN's Action API contract, shared by every module that answers an action (datasets, datastore…):
 * each module registers its actions here by CKAN's names, and `ckan-api.routes.ts` dispatches
 * `/api/{2,3}/action/:name` to them and wraps results and errors in CKAN's envelope
 * `{ help, success, result }` / `{ help, success: false, error: { __type, message, …fields } }`.
 */

/** What an action handler receives: the merged parameters (query, JSON, form or multipart fields). */
export interface CkanActionContext {
  request: FastifyRequest;
  params: Record<string, unknown>;
  /** The person an API token acts for (null when the call carries none); sessions never count here. */
  actor?: Actor | null;
  /** A multipart call's file (`upload` field), still streaming: the action must read or drain it. */
  upload?: CkanUpload;
}

export interface CkanUpload {
  fileName: string;
  stream: Readable;
}

export type CkanActionHandler = (context: CkanActionContext) => Promise<unknown>;

export interface CkanActionDefinition {
  handler: CkanActionHandler;
  /** Actions that change data answer POST only, as CKAN does. */
  write?: boolean;
}

/** CKAN's error kinds with the status each answers; `__type` strings are what clients test for. */
export const ckanErrorTypes = {
  notFound: { type: 'Not Found Error', status: 404 },
  validation: { type: 'Validation Error', status: 409 },
  authorization: { type: 'Authorization Error', status: 403 },
  badRequest: { type: 'Bad request', status: 400 },
  rateLimited: { type: 'Rate Limit Error', status: 429 },
  // The database is away (restart, network): come back later, nothing is wrong with the call.
  unavailable: { type: 'Service Unavailable', status: 503 },
  internal: { type: 'Internal Server Error', status: 500 },
} as const;

export type CkanErrorKind = keyof typeof ckanErrorTypes;

/**
 * An action's refusal in CKAN's shape. `fields` carries per-field messages for validation errors
 * (`{ name: ['Missing value'] }`), as CKAN's `ValidationError.error_dict` does.
 */
export class CkanActionError extends Error {
  constructor(
    readonly kind: CkanErrorKind,
    message: string,
    readonly fields: Record<string, string[]> = {},
  ) {
    super(message);
  }

  get statusCode(): number {
    return ckanErrorTypes[this.kind].status;
  }

  /** The `error` object of CKAN's envelope. */
  toErrorBody(): Record<string, unknown> {
    return { ...this.fields, __type: ckanErrorTypes[this.kind].type, message: this.message };
  }
}

/** The envelope of a successful action. `help` points at help_show for the action, as CKAN's does. */
export function ckanSuccess(helpUrl: string, result: unknown) {
  return { help: helpUrl, success: true as const, result };
}

export function ckanFailure(helpUrl: string, error: CkanActionError) {
  return { help: helpUrl, success: false as const, error: error.toErrorBody() };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The actions `/api/3/action/:name` answers, by CKAN name. */
    ckanActions: Map<string, CkanActionDefinition>;
    registerCkanAction(name: string, definition: CkanActionDefinition): void;
  }
}

/** Registered before the modules, so that each can add its actions while it registers. */
export default fp(
  async (app: FastifyInstance) => {
    const actions = new Map<string, CkanActionDefinition>();
    app.decorate('ckanActions', actions);
    app.decorate('registerCkanAction', (name: string, definition: CkanActionDefinition) => {
      if (actions.has(name)) throw new Error(`CKAN action ${name} is registered twice`);
      actions.set(name, definition);
    });
  },
  { name: 'ckan-actions' },
);
