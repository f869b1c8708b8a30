import { formatDate, type Locale, type Translate } from '../../i18n/i18n.ts';
import type { DatabaseWithCategories } from './databases.repository.ts';
import { blankCategoryRows } from './databases.schemas.ts';

const classBadge = { open: 'published', shared: 'pending', on_request: 'draft' } as const;

/** A database and its categories as the public page and DOIT's list show them. */
export function presentDatabase(row: DatabaseWithCategories, locale: Locale, t: Translate) {
  const { database } = row;
  return {
    id: database.id,
    anchor: `db-${database.id}`,
    name: database.name,
    purpose: database.purpose,
    scope: database.scope,
    content: database.content,
    collection: database.collection,
    ownerName: row.ownerName,
    ownerUrl: `/organization/${row.ownerSlug}`,
    updatedAt: formatDate(locale, database.updatedAt),
    editUrl: `/admin/catalogue/databases/${database.id}/edit`,
    categories: row.categories.map((category) => ({
      name: category.name,
      sharingClass: category.sharingClass,
      classLabel: t(`databases.class_${category.sharingClass}`),
      badge: classBadge[category.sharingClass],
      // Only a published dataset is linked: a withdrawn one would lead to a missing page.
      datasetUrl: category.datasetOnline && category.datasetSlug ? `/dataset/${category.datasetSlug}` : null,
      datasetTitle: category.datasetOnline ? category.datasetTitle : null,
    })),
    counts: {
      open: row.categories.filter((category) => category.sharingClass === 'open').length,
      shared: row.categories.filter((category) => category.sharingClass === 'shared').length,
      onRequest: row.categories.filter((category) => category.sharingClass === 'on_request').length,
    },
  };
}

/** The form's values of a stored database: its fields, then one row per category plus blank rows. */
export function databaseFormValues(row: DatabaseWithCategories) {
  const values: Record<string, string> = {
    name: row.database.name,
    purpose: row.database.purpose,
    scope: row.database.scope,
    content: row.database.content,
    collection: row.database.collection,
    ownerAgencyId: row.database.ownerAgencyId,
  };
  row.categories.forEach((category, index) => {
    values[`category_name_${index}`] = category.name;
    values[`category_class_${index}`] = category.sharingClass;
    values[`category_dataset_${index}`] = category.datasetSlug ? `/dataset/${category.datasetSlug}` : '';
  });
  return values;
}

/** How many category rows the form shows: the filled ones (up to the last filled index) and a few blank. */
export function categoryRowCount(values: Record<string, unknown>): number {
  let last = -1;
  for (const key of Object.keys(values)) {
    const match = /^category_(?:name|class|dataset)_(\d+)$/.exec(key);
    if (match && String(values[key]).trim() !== '') last = Math.max(last, Number(match[1]));
  }
  return last + 1 + blankCategoryRows;
}
