import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { translator } from '../../../src/i18n/i18n.ts';
import { createDatastoreLoader, requestDatastoreLoads } from '../../../src/modules/datastore/datastore.service.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { buildUser, testPassword } from '../../helpers/factories.ts';
import { datastoreRelations, eventually, indexesOf, publishCsv, publishReplacement, records, tableState } from './datastore-helpers.ts';

const table = (rows: number) => ['Mã,Giá trị', ...Array.from({ length: rows }, (_, i) => `${i + 1},${i * 3}`)].join('\n') + '\n';

test('the swap is atomic: a reader during a reload sees the old or the new table, never a partial one', async (t) => {
  const test = await buildTestApp(t);
  const published = await publishCsv(test, table(50));
  assert.equal(await test.app.datastoreLoader.load(published.resource.lineageId), 'loaded');
  const replacement = await publishReplacement(test, published, table(3000));
  // The file stops halfway until a reader has seen the table loading: on a fast server the whole load
  // could otherwise finish between two reads. Small batches make it give way to readers many times.
  let sawLoading!: () => void;
  const readerSawLoading = new Promise<void>((resolve) => {
    sawLoading = resolve;
  });
  const storage = Object.create(test.storage) as typeof test.storage;
  storage.open = async (key) => {
    const file = await test.storage.open(key);
    if (!file) return file;
    async function* pausedHalfway() {
      const chunks: Buffer[] = [];
      for await (const chunk of file!.stream) chunks.push(chunk);
      const whole = Buffer.concat(chunks);
      const half = whole.indexOf('\n', whole.length / 2) + 1;
      yield whole.subarray(0, half);
      await readerSawLoading;
      yield whole.subarray(half);
    }
    return { ...file, stream: Readable.from(pausedHalfway()) as unknown as typeof file.stream };
  };
  const loader = createDatastoreLoader({ handle: test.database, storage, log: test.app.log, batchRows: 100 });
  const loading = loader.load(published.resource.lineageId);
  let finished = false;
  loading.finally(() => {
    finished = true;
  });
  const seen: number[] = [];
  let readsWhileLoading = 0;
  while (!finished) {
    // A filter that every row passes makes the database count the table itself.
    const answer = await records(test.app, replacement.id, 'filter[ma][gte]=0&include_total=true&limit=32000');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.records.length, answer.body.total);
    seen.push(answer.body.total);
    if ((await tableState(test, published.resource.lineageId)).loadState === 'loading') {
      readsWhileLoading++;
      sawLoading();
    }
    // In-memory reads resolve without reaching the timers phase, where the file's parser runs: let it.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  assert.equal(await loading, 'loaded');
  assert.ok(readsWhileLoading > 0, 'no read happened during the load');
  assert.deepEqual([...new Set(seen)].filter((total) => total !== 50 && total !== 3000), []);
  const after = await records(test.app, replacement.id, 'filter[ma][gte]=0&include_total=true');
  assert.equal(after.body.total, 3000);
  assert.deepEqual(await datastoreRelations(test), [(await tableState(test, published.resource.lineageId)).tableName]);
});

test('a crash mid-load leaves no visible table and the job retries', async (t) => {
  const test = await buildTestApp(t);
  const published = await publishCsv(test, table(20_000));
  const lineageId = published.resource.lineageId;
  // What a process killed during COPY leaves behind: a half-filled loading table.
  const live = `r_${lineageId.replace(/-/g, '')}`;
  await test.db.execute(sql.raw(`create table datastore."${live}__load" ("_id" integer, "ma" bigint)`));
  await test.db.execute(sql.raw(`insert into datastore."${live}__load" values (1, 1)`));
  // And the first attempt of the job dies mid-file.
  const open = test.storage.open.bind(test.storage);
  let opened = 0;
  test.storage.open = async (key) => {
    const file = await open(key);
    if (!file || opened++ > 0) return file;
    async function* cut() {
      let bytes = 0;
      for await (const chunk of file!.stream) {
        bytes += chunk.length;
        if (bytes > 64 * 1024) throw new Error('process killed');
        yield chunk;
      }
    }
    return { ...file, stream: Readable.from(cut()) as unknown as typeof file.stream };
  };
  await test.app.ready();
  await test.db.transaction((tx) => requestDatastoreLoads(tx, [published.resource]));
  // The half table is nobody's: the public is told the table is not loaded yet.
  assert.equal((await records(test.app, published.resource.id)).status, 409);
  await test.app.jobs.moveOutbox();

  const interrupted = await eventually(async () => {
    const state = await tableState(test, lineageId);
    return state.loadError?.reason === 'datastore.load_interrupted' ? state : undefined;
  });
  assert.equal(interrupted.loadAttempts, 1);
  assert.equal((await records(test.app, published.resource.id)).status, 409);

  const done = await eventually(async () => {
    const state = await tableState(test, lineageId);
    return state.loadState === 'done' ? state : undefined;
  });
  assert.equal(done.loadAttempts, 2);
  assert.equal(done.rowCount, 20_000);
  const answer = await records(test.app, published.resource.id, 'include_total=true&filter[ma][gte]=0');
  assert.equal(answer.body.total, 20_000);
  assert.deepEqual(await datastoreRelations(test), [live]);
});

const districtTable = (rows: number) =>
  ['Mã;Huyện;Dân số', ...Array.from({ length: rows }, (_, i) => `${i + 1};${['Quy Nhơn', 'Hoài Ân', 'Tây Sơn'][i % 3]};${i * 7}`)].join('\n') + '\n';

test('a table is queryable by filters as soon as it is swapped in; its filter indexes and then full-text search follow on the live table', async (t) => {
  const test = await buildTestApp(t);
  const published = await publishCsv(test, districtTable(300));
  const lineageId = published.resource.lineageId;
  // The load stops after the swap, as a job does between the swap and its index steps.
  assert.equal(await test.app.datastoreLoader.load(lineageId, undefined, { afterSwap: false }), 'loaded');
  const swapped = await tableState(test, lineageId);
  assert.equal(swapped.indexes, 'building');
  assert.equal(swapped.fullText, 'building');
  assert.deepEqual(await indexesOf(test, swapped.tableName), []);

  const filtered = await records(test.app, published.resource.id, `filter[huyen]=${encodeURIComponent('Hoài Ân')}&sort=-dan_so&include_total=true&limit=2`);
  assert.equal(filtered.status, 200);
  assert.equal(filtered.body.total, 100);
  assert.deepEqual(filtered.body.records.map((record: { ma: number }) => record.ma), [299, 296]);

  // q says why it cannot answer yet, in the Records API and in CKAN's envelope.
  const early = await records(test.app, published.resource.id, 'q=hoai%20an');
  assert.equal(early.status, 409);
  assert.equal(early.body.message, translator('vi')('datastore.full_text_building'));
  const ckan = await test.app.inject({ method: 'GET', url: `/api/3/action/datastore_search?resource_id=${published.resource.id}&q=hoai` });
  assert.equal(ckan.statusCode, 409);
  assert.equal(ckan.json().success, false);
  assert.equal(ckan.json().error.__type, 'Validation Error');
  assert.deepEqual(ckan.json().error.q, [translator('vi')('datastore.full_text_building')]);

  // The officer's page says the table is being indexed.
  const officer = await buildUser(test.db, { agency: published.agency });
  const agent = new Agent(test.app);
  await agent.signIn(officer.email, testPassword);
  assert.match((await agent.get(`/admin/datastore/${published.resource.id}`)).body, /data-indexes="building"/);

  await test.app.datastoreLoader.buildIndexes(lineageId);
  const indexed = await tableState(test, lineageId);
  assert.equal(indexed.indexes, 'ready');
  assert.ok((await indexesOf(test, indexed.tableName)).includes(`${indexed.tableName}_pk`));
  // The same answer, now from an index.
  const again = await records(test.app, published.resource.id, `filter[huyen]=${encodeURIComponent('Hoài Ân')}&sort=-dan_so&include_total=true&limit=2`);
  assert.deepEqual(again.body, filtered.body);

  await test.app.datastoreLoader.buildFullText(lineageId);
  assert.equal((await tableState(test, lineageId)).fullText, 'ready');
  const found = await records(test.app, published.resource.id, 'q=hoai%20an&include_total=true&limit=1');
  assert.equal(found.status, 200);
  assert.equal(found.body.total, 100);
  assert.deepEqual(await datastoreRelations(test), [(await tableState(test, lineageId)).tableName]);
});

test('a failure of the full-text step after the swap leaves the table serving, is retried, then shows as failed until a new attempt builds it', async (t) => {
  const test = await buildTestApp(t);
  const published = await publishCsv(test, districtTable(300));
  const lineageId = published.resource.lineageId;
  const live = `r_${lineageId.replace(/-/g, '')}`;
  // Something holds the full-text index's name: every attempt of that step fails, after the swap.
  await test.db.execute(sql.raw(`create table datastore."${live}_ft" (x integer)`));
  await test.app.ready();
  await test.db.transaction((tx) => requestDatastoreLoads(tx, [published.resource]));
  await test.app.jobs.moveOutbox();
  const failed = await eventually(async () => {
    const state = await tableState(test, lineageId);
    return state.fullText === 'failed' ? state : undefined;
  });
  // The rows were swapped in on the first attempt and stay served.
  assert.equal(failed.loadState, 'done');
  assert.equal(failed.rowCount, 300);
  const filtered = await records(test.app, published.resource.id, 'filter[ma][lte]=10&include_total=true');
  assert.equal(filtered.body.total, 10);
  const refused = await records(test.app, published.resource.id, 'q=tay%20son');
  assert.equal(refused.status, 409);
  assert.equal(refused.body.message, translator('vi')('datastore.full_text_failed'));
  // The officer sees it on the table's page.
  const officer = await buildUser(test.db, { agency: published.agency });
  const agent = new Agent(test.app);
  await agent.signIn(officer.email, testPassword);
  const page = await agent.get(`/admin/datastore/${published.resource.id}`);
  assert.match(page.body, /data-full-text="failed"/);

  // Once the name is free, the next attempt of the same file builds only the index.
  await test.db.execute(sql.raw(`drop table datastore."${live}_ft"`));
  assert.equal(await test.app.datastoreLoader.load(lineageId), 'unchanged');
  assert.equal((await tableState(test, lineageId)).fullText, 'ready');
  const found = await records(test.app, published.resource.id, 'q=tay%20son&include_total=true');
  assert.equal(found.body.total, 100);
});

test('a table loaded before full text moved after the swap is still searched through its stored vector', async (t) => {
  const test = await buildTestApp(t);
  const { resource } = await publishCsv(test, 'Mã;Huyện\n1;Tây Sơn\n2;Quy Nhơn\n');
  assert.equal(await test.app.datastoreLoader.load(resource.lineageId), 'loaded');
  // What such a table looks like: a stored _tsv column with its own index, and the state the migration gave it.
  const { tableName } = await tableState(test, resource.lineageId);
  await test.db.execute(sql.raw(`drop index datastore."${tableName}_ft"`));
  await test.db.execute(sql.raw(`alter table datastore."${tableName}" add column _tsv tsvector generated always as (to_tsvector('simple', lower(portal_unaccent(coalesce(huyen, ''))))) stored`));
  await test.db.execute(sql`update datastore_tables set full_text = 'column' where lineage_id = ${resource.lineageId}`);
  const answer = await records(test.app, resource.id, 'q=tay%20son&include_total=true');
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.body.records.map((record: { ma: number }) => record.ma), [1]);
});

test('a failure of the filter-index step after the swap leaves the table serving by scans, and the next attempt of the same file builds the indexes and full text', async (t) => {
  const test = await buildTestApp(t);
  const published = await publishCsv(test, districtTable(300));
  const lineageId = published.resource.lineageId;
  const live = `r_${lineageId.replace(/-/g, '')}`;
  // Something holds the primary key's name: the index step fails after the swap.
  await test.db.execute(sql.raw(`create table datastore."${live}_pk" (x integer)`));
  await assert.rejects(test.app.datastoreLoader.load(lineageId));
  const failed = await tableState(test, lineageId);
  assert.equal(failed.loadState, 'done');
  assert.equal(failed.indexes, 'failed');
  assert.equal(failed.fullText, 'building');
  const filtered = await records(test.app, published.resource.id, 'filter[ma][lte]=10&include_total=true');
  assert.equal(filtered.body.total, 10);

  await test.db.execute(sql.raw(`drop table datastore."${live}_pk"`));
  assert.equal(await test.app.datastoreLoader.load(lineageId), 'unchanged');
  const repaired = await tableState(test, lineageId);
  assert.equal(repaired.indexes, 'ready');
  assert.equal(repaired.fullText, 'ready');
  assert.ok((await indexesOf(test, live)).includes(`${live}_pk`));
  assert.equal((await records(test.app, published.resource.id, 'q=tay%20son&include_total=true')).body.total, 100);
});
