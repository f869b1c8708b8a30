// Helpers shared by the search tests. Not a test file itself.
import { randomBytes, randomUUID } from 'node:crypto';
import type { SearchDocument, SearchQuery } from '../../../src/modules/search/search.types.ts';

/** A search document with plausible defaults; override what the test is about. */
export function doc(overrides: Partial<SearchDocument>): SearchDocument {
  return {
    datasetId: randomUUID(),
    slug: `tap-${randomBytes(3).toString('hex')}`,
    title: 'Tập dữ liệu',
    description: '',
    tags: [],
    resourceNames: '',
    topicSlug: 'kinh-te',
    agencySlug: 'so-tai-chinh',
    topicName: 'Kinh tế',
    agencyName: 'Sở Tài chính',
    formats: ['CSV'],
    updateFrequency: 'yearly',
    licence: '',
    publishedAt: new Date('2024-01-01T00:00:00Z'),
    downloads: 0,
    ...overrides,
  };
}

export const query = (text: string, overrides: Partial<SearchQuery> = {}): SearchQuery => ({ text, filters: {}, sort: 'relevance', page: 1, pageSize: 20, ...overrides });
