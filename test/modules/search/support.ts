// Helpers shared by the search tests. Not a test file itself.
import { randomBytes, randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import type { DatabaseHandle } from '../../../src/db/client.ts';
import { createMeiliEngine } from '../../../src/modules/search/meili-engine.ts';
import { createPostgresEngine } from '../../../src/modules/search/postgres-engine.ts';
import type { SearchEngine } from '../../../src/modules/search/search.types.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { watchSentStatements } from '../../helpers/sent-statements.ts';
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

export interface EngineUnderTest {
  name: string;
  skip: string | false;
  /** An empty index of its own for one test. */
  open(t: TestContext): Promise<SearchEngine>;
}

const meiliUrl = process.env.MEILI_URL;

async function meiliReachable(): Promise<boolean> {
  if (!meiliUrl) return false;
  try {
    return (await fetch(`${meiliUrl}/health`)).ok;
  } catch {
    return false;
  }
}

/** PostgreSQL always; Meilisearch when MEILI_URL answers, else skipped with a sentence naming `run`. */
export async function enginesUnderTest(run: string, indexPrefix: string): Promise<EngineUnderTest[]> {
  const meiliSkip = (await meiliReachable()) ? false : `Meilisearch not reachable (set MEILI_URL and MEILI_MASTER_KEY): its ${run} run is skipped`;
  return [
    {
      name: 'PostgreSQL',
      skip: false,
      async open(t) {
        const database = await createTestDatabase();
        t.after(() => database.close());
        return createPostgresEngine(database.db);
      },
    },
    {
      name: 'Meilisearch',
      skip: meiliSkip,
      async open() {
        const engine = createMeiliEngine(meiliUrl ?? '', process.env.MEILI_MASTER_KEY ?? '', `${indexPrefix}_${randomBytes(6).toString('hex')}`);
        await engine.setup();
        return engine;
      },
    },
  ];
}

/** The text of every message the engine sends from now on (see watchSentStatements). */
export function recordStatements(database: DatabaseHandle): string[] {
  const sent: string[] = [];
  watchSentStatements(database.db, (args) => sent.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text)));
  return sent;
}
