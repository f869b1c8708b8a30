import { asc, eq, isNotNull } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { agencies } from '../agencies/agencies.table.ts';
import { datasetRevisions, datasets } from '../datasets/datasets.table.ts';
import { resources } from '../resources/resources.table.ts';

/** The data sharing services of published datasets, with the dataset and agency they belong to. */
export async function listPublishedServices(db: Queryable) {
  return db
    .select({
      resource: resources,
      dataset: { id: datasets.id, slug: datasets.slug },
      title: datasetRevisions.title,
      agency: { slug: agencies.slug, name: agencies.name },
    })
    .from(resources)
    .innerJoin(datasets, eq(datasets.publishedRevisionId, resources.revisionId))
    .innerJoin(datasetRevisions, eq(datasetRevisions.id, resources.revisionId))
    .innerJoin(agencies, eq(agencies.id, datasets.agencyId))
    .where(isNotNull(resources.service))
    .orderBy(asc(agencies.name), asc(datasetRevisions.title), asc(resources.position));
}

export type PublishedServiceRow = Awaited<ReturnType<typeof listPublishedServices>>[number];
