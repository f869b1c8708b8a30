import assert from 'node:assert/strict';
import { test } from 'node:test';
import { doc, enginesUnderTest, query } from './support.ts';

/**
 * One contract, two engines: PostgreSQL full-text (always) and Meilisearch (when MEILI_URL answers).
 * Each test gets an empty index of its own.
 */
const engines = await enginesUnderTest('contract', 'test');

const titles = (result: { hits: Array<{ title: string }> }) => result.hits.map((hit) => hit.title);

for (const engine of engines) {
  test(`${engine.name}: "giao duc" typed without diacritics finds "Giáo dục"`, { skip: engine.skip }, async (t) => {
    const search = await engine.open(t);
    await search.upsert([doc({ title: 'Số học sinh ngành Giáo dục' }), doc({ title: 'Giá đất nông nghiệp' })]);
    assert.deepEqual(titles(await search.search(query('giao duc'))), ['Số học sinh ngành Giáo dục']);
  });

  test(`${engine.name}: "duong" finds "đường" (đ folds to d)`, { skip: engine.skip }, async (t) => {
    const search = await engine.open(t);
    await search.upsert([doc({ title: 'Danh sách tuyến đường tỉnh' }), doc({ title: 'Danh sách nhà thuốc' })]);
    assert.deepEqual(titles(await search.search(query('duong'))), ['Danh sách tuyến đường tỉnh']);
  });

  test(`${engine.name}: a title match ranks above a description match`, { skip: engine.skip }, async (t) => {
    const search = await engine.open(t);
    await search.upsert([
      doc({ title: 'Báo cáo tổng hợp', description: 'Có nhắc đến trường học trong phần phụ lục.' }),
      doc({ title: 'Danh sách trường học' }),
    ]);
    assert.deepEqual(titles(await search.search(query('truong hoc'))), ['Danh sách trường học', 'Báo cáo tổng hợp']);
  });

  test(`${engine.name}: a typo still finds the dataset ("nha thuco")`, { skip: engine.skip }, async (t) => {
    const search = await engine.open(t);
    await search.upsert([doc({ title: 'Danh sách nhà thuốc đạt chuẩn' }), doc({ title: 'Giá vé xe buýt' })]);
    assert.deepEqual(titles(await search.search(query('nha thuco'))), ['Danh sách nhà thuốc đạt chuẩn']);
  });

  test(`${engine.name}: facets count the matches and filters narrow them`, { skip: engine.skip }, async (t) => {
    const search = await engine.open(t);
    await search.upsert([
      doc({ title: 'Trường mầm non', topicSlug: 'giao-duc', formats: ['CSV', 'XLSX'], tags: ['trường học'] }),
      doc({ title: 'Trường tiểu học', topicSlug: 'giao-duc', formats: ['CSV'] }),
      doc({ title: 'Trường nghề', topicSlug: 'lao-dong', formats: ['PDF'] }),
    ]);
    const all = await search.search(query('truong'));
    assert.equal(all.total, 3);
    assert.deepEqual(all.facets.topic, [{ value: 'giao-duc', count: 2 }, { value: 'lao-dong', count: 1 }]);
    assert.deepEqual(all.facets.format.find((facet) => facet.value === 'CSV'), { value: 'CSV', count: 2 });
    const narrowed = await search.search(query('truong', { filters: { topic: ['giao-duc'], format: ['XLSX'] } }));
    assert.deepEqual(titles(narrowed), ['Trường mầm non']);
  });

  test(`${engine.name}: an empty query lists everything, newest first`, { skip: engine.skip }, async (t) => {
    const search = await engine.open(t);
    await search.upsert([doc({ title: 'Cũ', publishedAt: new Date('2023-01-01') }), doc({ title: 'Mới', publishedAt: new Date('2025-01-01') })]);
    assert.deepEqual(titles(await search.search(query('', { sort: 'updated' }))), ['Mới', 'Cũ']);
  });

  test(`${engine.name}: sorting by name and paging`, { skip: engine.skip }, async (t) => {
    const search = await engine.open(t);
    await search.upsert(['Cam', 'An', 'Bình'].map((title) => doc({ title })));
    const first = await search.search(query('', { sort: 'name', pageSize: 2 }));
    assert.deepEqual(titles(first), ['An', 'Bình']);
    assert.equal(first.total, 3);
    const beyond = await search.search(query('', { sort: 'name', pageSize: 2, page: 5 }));
    assert.deepEqual(titles(beyond), []);
    assert.equal(beyond.total, 3, 'a page past the end still knows the total, for the way back');
  });

  test(`${engine.name}: query syntax is treated as text, never as a filter or SQL`, { skip: engine.skip }, async (t) => {
    const search = await engine.open(t);
    await search.upsert([doc({ title: 'Danh sách chợ' })]);
    for (const text of ["'; drop table search_documents; --", 'topicSlug = "x" OR 1=1', 'a & b | !c :* ()', '"unterminated']) {
      const result = await search.search(query(text));
      assert.equal(result.total, 0, text);
    }
    assert.equal((await search.search(query(''))).total, 1, 'the index is intact');
  });

  test(`${engine.name}: a syllable before the last matches whole syllables only ("dan" is "dân", never "danh")`, { skip: engine.skip }, async (t) => {
    const search = await engine.open(t);
    await search.upsert([doc({ title: 'Danh sách số điện thoại' }), doc({ title: 'Dân số trung bình' }), doc({ title: 'Hướng dẫn nộp hồ sơ' })]);
    assert.deepEqual(titles(await search.search(query('dan so'))), ['Dân số trung bình']);
    // Folded, "dan" is "dân" and "dẫn" alike.
    assert.deepEqual(titles(await search.search(query('huong dan ho'))), ['Hướng dẫn nộp hồ sơ']);
    assert.deepEqual(titles(await search.search(query('dân so'))), ['Dân số trung bình']);
  });

  test(`${engine.name}: the last syllable matches as a prefix from two letters on, as people type`, { skip: engine.skip }, async (t) => {
    const search = await engine.open(t);
    await search.upsert([doc({ title: 'Dân số trung bình' }), doc({ title: 'Danh sách nhà thuốc' })]);
    assert.deepEqual(titles(await search.search(query('dan so'))), ['Dân số trung bình']);
    assert.deepEqual(new Set(titles(await search.search(query('da')))), new Set(['Dân số trung bình', 'Danh sách nhà thuốc']));
    const oneLetter = await search.search(query('dân s'));
    assert.ok(oneLetter.total === 0 || oneLetter.approximate, 'one letter is not a prefix: "dân s" is not "dân số"');
  });

  test(`${engine.name}: the words together (a phrase) rank above the same syllables apart, and a title above a description`, { skip: engine.skip }, async (t) => {
    const search = await engine.open(t);
    await search.upsert([
      doc({ title: 'Số liệu người dân', publishedAt: new Date('2025-06-01') }),
      doc({ title: 'Báo cáo năm', description: 'Có bảng dân số theo xã.', publishedAt: new Date('2025-05-01') }),
      doc({ title: 'Dân số trung bình', publishedAt: new Date('2020-01-01') }),
    ]);
    // The phrase is found, so the document with "dân" and "số" apart is not a result at all.
    assert.deepEqual(titles(await search.search(query('dân số'))), ['Dân số trung bình', 'Báo cáo năm']);
    // Without a phrase match, all the syllables anywhere.
    assert.deepEqual(titles(await search.search(query('nguoi so'))), ['Số liệu người dân']);
  });

  test(`${engine.name}: a removed dataset is no longer found`, { skip: engine.skip }, async (t) => {
    const search = await engine.open(t);
    const gone = doc({ title: 'Sắp gỡ' });
    await search.upsert([gone, doc({ title: 'Còn lại' })]);
    await search.remove([gone.datasetId]);
    assert.deepEqual(titles(await search.search(query(''))), ['Còn lại']);
  });
}
