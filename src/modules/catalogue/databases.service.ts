import type { Database, Queryable } from '../../db/client.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { FieldErrors } from '../../lib/forms.ts';
import { type Actor, authorize, can } from '../accounts/permissions.ts';
import { listAllAgencies } from '../agencies/agencies.repository.ts';
import { recordAudit } from '../audit/audit.service.ts';
import {
  deleteDatabase,
  findDatabase,
  findOnlineDatasetsBySlug,
  insertDatabase,
  listDatabases,
  replaceCategories,
  updateDatabase,
} from './databases.repository.ts';
import { type CategoryInput, type DatabaseFields, datasetSlugOf } from './databases.schemas.ts';

/** A database form with problems in its category rows: each sentence goes next to its cell. */
export class DatabaseFormError extends AppError {
  constructor(readonly errors: FieldErrors) {
    super(422, 'invalid_input', 'forms.has_errors');
  }
}

export function databaseAbilities(actor: Actor | null) {
  return { manage: can(actor, 'catalogue.manage') };
}

export async function browseDatabasesForAdmin(db: Queryable, actor: Actor | null) {
  authorize(actor, 'catalogue.manage');
  return listDatabases(db);
}

/** The province's database catalogue for everyone (Lai Châu plan, part II.1). */
export async function browsePublicDatabases(db: Queryable) {
  return listDatabases(db);
}

export async function databaseFormChoices(db: Queryable, actor: Actor | null) {
  authorize(actor, 'catalogue.manage');
  return { agencies: await listAllAgencies(db) };
}

export async function getDatabaseForEdit(db: Queryable, actor: Actor | null, id: string) {
  authorize(actor, 'catalogue.manage');
  const [found] = await listDatabases(db, id);
  if (!found) throw notFound('databases.not_found');
  return found;
}

/** Open categories link to published datasets, named by address or slug; anything else is a sentence on its row. */
async function resolveCategories(db: Queryable, rows: CategoryInput[]) {
  const errors: FieldErrors = {};
  const slugs = rows.map((row) => (row.dataset ? datasetSlugOf(row.dataset) : null));
  const online = await findOnlineDatasetsBySlug(db, slugs.filter((slug): slug is string => Boolean(slug)));
  const resolved = rows.map((row, position) => {
    let datasetId: string | null = null;
    if (row.dataset) {
      const slug = slugs[position];
      datasetId = slug ? (online.get(slug) ?? null) : null;
      if (!datasetId) errors[`category_dataset_${position}`] = 'databases.dataset_unknown';
    }
    return { position, name: row.name, sharingClass: row.sharingClass, datasetId };
  });
  return { resolved, errors };
}

/**
 * Creates (id null) or replaces a database with its categories, in one transaction. `rowIndexes`
 * maps each category back to the form row it came from, so a sentence lands next to the right cell.
 */
export async function saveDatabase(db: Database, actor: Actor | null, id: string | null, fields: DatabaseFields, categories: CategoryInput[], rowIndexes: number[]) {
  authorize(actor, 'catalogue.manage');
  return db.transaction(async (tx) => {
    const { resolved, errors } = await resolveCategories(tx, categories);
    if (Object.keys(errors).length > 0) {
      throw new DatabaseFormError(Object.fromEntries(Object.entries(errors).map(([key, value]) => [key.replace(/\d+$/, (index) => String(rowIndexes[Number(index)])), value])));
    }
    let databaseId = id;
    if (databaseId) {
      if (!(await findDatabase(tx, databaseId))) throw notFound('databases.not_found');
      await updateDatabase(tx, databaseId, fields);
    } else {
      databaseId = (await insertDatabase(tx, fields)).id;
    }
    await replaceCategories(tx, databaseId, resolved);
    await recordAudit(tx, actor, { action: id ? 'database.edit' : 'database.create', objectType: 'province_database', objectId: databaseId, objectLabel: fields.name, details: { categories: resolved.length } });
    return databaseId;
  });
}

export async function removeDatabase(db: Database, actor: Actor | null, id: string) {
  authorize(actor, 'catalogue.manage');
  await db.transaction(async (tx) => {
    const found = await findDatabase(tx, id);
    if (!found) throw notFound('databases.not_found');
    await deleteDatabase(tx, id);
    await recordAudit(tx, actor, { action: 'database.remove', objectType: 'province_database', objectId: id, objectLabel: found.name });
  });
}
