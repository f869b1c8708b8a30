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

/**
 * The role must grant the verb, and an officer or leader may act only on their own agency's objects
 * (782 Art. 5.2). DOIT staff act across agencies.
 */
export function can(actor: Actor | null, verb: Permission, object?: AgencyOwned): boolean {
  if (!actor) return false;
  const granted = (rolePermissions[actor.role] as readonly string[]).includes(verb);
  if (!granted) return false;
  if (!object || actor.role === 'admin') return true;
  return actor.agencyId === object.agencyId;
}

/** Throws 403 with a sentence; every service verb calls this before it reads or changes anything. */
export function authorize(actor: Actor | null, verb: Permission, object?: AgencyOwned): asserts actor is Actor {
  if (!can(actor, verb, object)) throw forbidden();
}
