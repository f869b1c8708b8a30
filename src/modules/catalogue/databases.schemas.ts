import { z } from 'zod';
import { type SharingClass, sharingClasses } from './databases.table.ts';

const trimmed = (max: number) =>
  z.preprocess((value) => (typeof value === 'string' ? value.trim() : (value ?? '')), z.string().max(max, { error: 'validation.too_long' }));
const required = (max: number) => trimmed(max).pipe(z.string().min(1, { error: 'validation.required' }));

export const databaseFields = z.object({
  name: required(300),
  purpose: required(2000),
  scope: trimmed(2000),
  content: required(4000),
  collection: trimmed(2000),
  ownerAgencyId: z.uuid({ error: 'catalogue.agency_required' }),
});
export type DatabaseFields = z.infer<typeof databaseFields>;

/** One data category as the form sends it: the dataset is named by its address or slug. */
export interface CategoryInput {
  name: string;
  sharingClass: SharingClass;
  dataset: string;
}

export const maxCategories = 30;
/** Blank category rows the form offers below the filled ones. */
export const blankCategoryRows = 3;

/**
 * The category rows category_name_N / category_class_N / category_dataset_N; a row with every cell
 * empty is dropped. Each wrong cell gets its own sentence, next to it.
 */
export function parseCategoryRows(body: unknown): { rows: CategoryInput[]; indexes: number[]; errors: Record<string, string> } {
  const values = (body ?? {}) as Record<string, unknown>;
  const rows: CategoryInput[] = [];
  const indexes: number[] = [];
  const errors: Record<string, string> = {};
  const cell = (name: string) => String(values[name] ?? '').trim();
  for (let index = 0; index < maxCategories + blankCategoryRows; index++) {
    const name = cell(`category_name_${index}`);
    const sharingClass = cell(`category_class_${index}`);
    const dataset = cell(`category_dataset_${index}`);
    if (!name && !dataset && !sharingClass) continue;
    if (!name) errors[`category_name_${index}`] = 'validation.required';
    else if (name.length > 300) errors[`category_name_${index}`] = 'validation.too_long';
    if (!(sharingClasses as readonly string[]).includes(sharingClass)) errors[`category_class_${index}`] = 'databases.class_required';
    else if (dataset && sharingClass !== 'open') errors[`category_dataset_${index}`] = 'databases.dataset_only_open';
    rows.push({ name, sharingClass: sharingClass as SharingClass, dataset });
    indexes.push(index);
  }
  if (rows.length > maxCategories) errors._form = 'databases.too_many_categories';
  return { rows, indexes, errors };
}

/** "/dataset/slug", a full address of it, or the bare slug. */
export function datasetSlugOf(text: string): string | null {
  const match = /(?:^|\/dataset\/)([a-z0-9][a-z0-9-]{0,200})\/?(?:[?#].*)?$/.exec(text.trim());
  return match ? match[1] : null;
}
