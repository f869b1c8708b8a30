// The demo catalogue (167 datasets) as the search index holds it after `seed-demo`. Not a test file.
import { readFileSync } from 'node:fs';
import { slugify } from '../../../src/lib/slug.ts';
import { parseCatalogueCsv } from '../../../src/modules/catalogue/catalogue-csv.ts';
import { demoAgencies, demoTopics, fillDemoEntry } from '../../../src/modules/demo/demo-catalogue.ts';
import type { SearchDocument } from '../../../src/modules/search/search.types.ts';

const catalogueText = readFileSync(new URL('../../../src/modules/demo/binh-dinh-catalogue.csv', import.meta.url), 'utf8');

/**
 * Built the way seedDemo stores the datasets and buildSearchDocuments reads them back: the same slugs,
 * descriptions, frequencies, tags and publication dates, one CSV file named after the dataset. Ids are the catalogue numbers, so a test can name "dataset 128".
 */
export function demoSearchDocuments(): SearchDocument[] {
  const { entries } = parseCatalogueCsv(catalogueText);
  const topicsByName = new Map(demoTopics.map((topic) => [topic.nameVi, topic]));
  const agenciesByName = new Map(demoAgencies.map((agency) => [agency.name, agency]));
  const usedSlugs = new Set<string>();
  return entries.map((entry) => {
    let slug = slugify(entry.title);
    if (usedSlugs.has(slug)) slug = `${slug}-${entry.number}`;
    usedSlugs.add(slug);
    const filled = fillDemoEntry(entry);
    const publishedAt = new Date(`${entry.firstPublicationDate ?? filled.firstPublicationDate}T09:00:00+07:00`);
    publishedAt.setUTCDate(publishedAt.getUTCDate() + (entry.number % 90));
    const topic = topicsByName.get(entry.topicName)!;
    const agency = agenciesByName.get(entry.agencyName)!;
    return {
      datasetId: demoId(entry.number),
      slug,
      title: entry.title,
      description: entry.description || filled.description,
      tags: filled.tags,
      resourceNames: entry.title,
      topicSlug: topic.slug,
      topicName: topic.nameVi,
      agencySlug: agency.slug,
      agencyName: agency.name,
      formats: ['CSV'],
      updateFrequency: entry.frequency ?? filled.updateFrequency,
      licence: '',
      publishedAt,
      downloads: 0,
    };
  });
}

/** A stable uuid per catalogue number: 128 → 00000000-0000-4000-8000-000000000128. */
export function demoId(number: number): string {
  return `00000000-0000-4000-8000-${String(number).padStart(12, '0')}`;
}
