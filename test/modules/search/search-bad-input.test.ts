import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../../src/i18n/i18n.ts';
import { presentCount } from '../../../src/modules/search/search.presenter.ts';
import { createSearchService } from '../../../src/modules/search/search.service.ts';
import type { SearchEngine } from '../../../src/modules/search/search.types.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildDataset } from '../../helpers/factories.ts';
import { createTestDatabase } from '../../helpers/database.ts';
import { query } from './support.ts';

const text = (html: string) => html.replace(/<[^>]+>/g, '');

const badQueries = [
  'dân số '.repeat(150).slice(0, 1000),
  '!!! ??? ... ,,, ;;; ---',
  '& | ! <-> :* ( ) dân & số',
  'trường:* & !học',
  '"dân số',
  "dân số' OR 1=1 --",
  'trường học школа 学校 مدرسة',
  '🏫📊 dân số 🙂',
  '🙂',
  '\\',
  '%_%',
];

test('whatever is typed, the search page answers with results or a sentence, never an error', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  await buildDataset(db, storage, { revision: { title: 'Dữ liệu về dân số' } });
  await buildDataset(db, storage, { revision: { title: 'Danh sách trường học' } });
  await app.searchIndexer.drain();
  for (const typed of badQueries) {
    const response = await app.inject({ method: 'GET', url: `/dataset?q=${encodeURIComponent(typed)}` });
    assert.equal(response.statusCode, 200, JSON.stringify(typed.slice(0, 40)));
    const body = text(response.body);
    assert.ok(/class="dataset-item"/.test(response.body) || body.includes('Không tìm thấy tập dữ liệu nào.'), JSON.stringify(typed.slice(0, 40)));
  }
  // A control character never reaches the search: the portal refuses it with a sentence (issue 10, finding 5).
  const nul = await app.inject({ method: 'GET', url: `/dataset?q=${encodeURIComponent('a\u0000b')}` });
  assert.equal(nul.statusCode, 400);
  assert.match(text(nul.body), /ký tự điều khiển/);
  const operators = text((await app.inject({ method: 'GET', url: `/dataset?q=${encodeURIComponent('& | ! <-> :* ( ) dân & số')}` })).body);
  assert.match(operators, /Dữ liệu về dân số/, 'operators are ignored and the words still search');
});

test('a search the database cancels at its statement timeout answers with a sentence', async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.close());
  const cancelled: SearchEngine = {
    name: 'postgres',
    async setup() {},
    async upsert() {},
    async remove() {},
    async clear() {},
    async ping() {},
    async search() {
      throw Object.assign(new Error('Failed query'), { cause: Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }) });
    },
  };
  const service = createSearchService(database.db, cancelled, cancelled, { warn() {} });
  const result = await service.search(query('dân số'));
  assert.deepEqual({ total: result.total, hits: result.hits, timedOut: result.timedOut }, { total: 0, hits: [], timedOut: true });
  assert.equal(presentCount(result, 'dân số', 'vi', translator('vi')), 'Tìm kiếm này mất quá nhiều thời gian. Hãy thử ít từ hơn hoặc chọn thêm bộ lọc.');
});

test('control characters in a facet value are refused with a sentence, never a server error', async (t) => {
  const { app } = await buildTestApp(t);
  for (const facet of ['topic', 'tag', 'licence']) {
    const response = await app.inject({ method: 'GET', url: `/dataset?${facet}=a%00b` });
    assert.equal(response.statusCode, 400, facet);
    assert.match(text(response.body), /ký tự điều khiển/, facet);
  }
});
