import { forbidden } from '../../lib/errors.ts';
import type { Role } from './accounts.table.ts';

/** The person acting, as every service verb receives them. */
export interface Actor {
  id: string;
  email: string;
  role: Role;
  /** The agency an officer or leader belongs to; null for DOIT staff. */
  agencyId: string | null;
  ip: string | null;
}

/**
 * The one table of who may do what (CKAN's authz, Papra's roles.constants). Verb names are shared by
 * the services that call authorize() and the templates that receive abilities.
 */
export const rolePermissions = {
  admin: [
    // Acts on every agency's objects and lists the whole province: the agency rule does not apply.
    'province.all',
    'backoffice.enter',
    'agency.manage',
    'account.manage',
    'audit.read',
    'settings.manage',
    'dataset.read',
    'dataset.unpublish',
    'feedback.read',
    'feedback.answer',
    'feedback.reassign',
    // Sees every holder's feedback and follows up late agencies (782 Art. 5.1, 9.2).
    'feedback.route',
    'feedback.moderate',
    'apitoken.manage',
    'catalogue.read',
    'catalogue.manage',
    'report.read',
    'datastore.reload',
    'jobs.manage',
    // Receives the mail of an integrity pass that found a changed or missing file (Art. 5.1).
    'integrity.notify',
  ],
  officer: [
    'backoffice.enter',
    'dataset.read',
    'dataset.create',
    'dataset.edit',
    'dataset.submit',
    'feedback.read',
    'feedback.answer',
    'apitoken.manage',
    'catalogue.read',
    'catalogue.request',
    'datastore.reload',
  ],
  leader: ['backoffice.enter', 'dataset.read', 'dataset.approve', 'dataset.return', 'dataset.unpublish', 'feedback.read', 'feedback.answer', 'catalogue.read', 'catalogue.request', 'report.read', 'datastore.reload'],
} as const satisfies Record<Role, readonly string[]>;

export type Permission = (typeof rolePermissions)[Role][number];

/** The roles whose table grants `verb` (e.g. who is mailed about integrity problems). */
export function rolesGranting(verb: Permission): Role[] {
  return (Object.keys(rolePermissions) as Role[]).filter((role) => (rolePermissions[role] as readonly string[]).includes(verb));
}

/** Something owned by an agency: a dataset, a feedback item, an agency itself (its id is the owner). */
export interface AgencyOwned {
  agencyId: string;
}

/** Whether the role grants the verb, with no object in view (menus, coarse gates). */
function granted(actor: Actor, verb: Permission): boolean {
  return (rolePermissions[actor.role] as readonly string[]).includes(verb);
}

/**
 * The role must grant the verb, and an officer or leader may act only on their own agency's objects
 * (782 Art. 5.2). DOIT staff (who hold `province.all`) act across agencies.
 */
export function can(actor: Actor | null, verb: Permission, object?: AgencyOwned): boolean {
  if (!actor || !granted(actor, verb)) return false;
  if (!object || granted(actor, 'province.all')) return true;
  return actor.agencyId === object.agencyId;
}

/** Throws 403 with a sentence; every service verb calls this before it reads or changes anything. */
export function authorize(actor: Actor | null, verb: Permission, object?: AgencyOwned): asserts actor is Actor {
  if (!can(actor, verb, object)) throw forbidden();
}

/**
 * Which agencies' rows a listing shows: the whole province, or the actor's own agency. Every listing
 * query takes its agency filter from here, so the agency rule of can() is written once for lists too.
 */
export type AgencyScope = { kind: 'province' } | { kind: 'agency'; agencyId: string };

/** Matches no agency: an account without one (which the schema forbids for officers and leaders) sees nothing. */
const noAgency = '00000000-0000-0000-0000-000000000000';

export function scopeOf(actor: Actor): AgencyScope {
  if (granted(actor, 'province.all')) return { kind: 'province' };
  return { kind: 'agency', agencyId: actor.agencyId ?? noAgency };
}

/** The scope as the agency filter of a repository query: null means every agency. */
export function agencyFilterOf(actor: Actor): string | null {
  const scope = scopeOf(actor);
  return scope.kind === 'province' ? null : scope.agencyId;
}
