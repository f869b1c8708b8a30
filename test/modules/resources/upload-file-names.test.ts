import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { normaliseFileName } from '../../../src/storage/file-names.ts';
import { LocalFileStorage } from '../../../src/storage/local-file-storage.ts';
import {
  buildOffice,
  createDraftThroughForm,
  downloadLinks,
  publishThroughFlow,
  resourcesOfRevision,
  revisionsOf,
  schoolsCsv,
  uploadFile,
} from '../datasets/publishing-helpers.ts';

// Issue 10, finding 3: a file named `.. ` became the storage key resources/<dataset>/<uuid>/.., the
// dataset's own folder, and every later upload to that dataset answered 500.

test('finding 3: a file named ".. " is stored under an id-only key and later uploads to its dataset still work', async (t) => {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  assert.ok(datasetId);
  const first = await uploadFile(office.officer, office.app, datasetId, { fileName: '.. ', content: schoolsCsv });
  assert.equal(first.statusCode, 302, 'the oddly named file is accepted');
  const second = await uploadFile(office.officer, office.app, datasetId, { fileName: 'truong-thpt.csv', content: schoolsCsv });
  assert.equal(second.statusCode, 302, 'a later upload to the same dataset still works');

  const [revision] = await revisionsOf(office.db, datasetId);
  const stored = await resourcesOfRevision(office.db, revision.id);
  assert.equal(stored.length, 2);
  for (const resource of stored) {
    assert.match(resource.storageKey ?? '', new RegExp(`^resources/${datasetId}/[0-9a-f-]{36}/data\\.csv$`), 'the key is made of ids only');
    assert.ok(await office.storage.exists(resource.storageKey ?? ''), 'the file is where the key says');
  }
  assert.deepEqual(stored.map((resource) => resource.fileName).sort(), ['tep-du-lieu.csv', 'truong-thpt.csv']);
});

test('finding 3: the uploaded name never reaches the storage key, even when it is a plain name', async (t) => {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  assert.ok(datasetId);
  const upload = await uploadFile(office.officer, office.app, datasetId, { fileName: 'Danh sách trường.csv', content: schoolsCsv });
  assert.equal(upload.statusCode, 302);
  const [revision] = await revisionsOf(office.db, datasetId);
  const [resource] = await resourcesOfRevision(office.db, revision.id);
  assert.doesNotMatch(resource.storageKey ?? '', /Danh|trường/);
  assert.equal(resource.fileName, 'Danh sách trường.csv', 'the name is kept for downloads');
});

test('finding 3: a download of a file uploaded as ".. " keeps a sane name in Content-Disposition', async (t) => {
  const office = await buildOffice(t);
  await publishThroughFlow(office, {}, { fileName: '.. ', content: schoolsCsv });
  const page = await office.app.inject({ url: '/dataset/danh-sach-truong-trung-hoc-pho-thong' });
  const [link] = downloadLinks(page.body);
  assert.ok(link, 'the public page links the file');
  assert.doesNotMatch(link, /\/\.\.?(\/|$)/, 'the link has no dot segment a browser would collapse');
  const download = await office.app.inject({ url: link });
  assert.equal(download.statusCode, 200);
  assert.match(String(download.headers['content-disposition']), /^attachment; filename="?tep-du-lieu\.csv"?/);
});

test('finding 3: uploaded names are normalised: no dots at either end, no control characters, no path', () => {
  assert.equal(normaliseFileName('.. '), 'tep-du-lieu');
  assert.equal(normaliseFileName('.'), 'tep-du-lieu');
  assert.equal(normaliseFileName('  ...  '), 'tep-du-lieu');
  assert.equal(normaliseFileName('../../etc/passwd'), 'passwd');
  assert.equal(normaliseFileName('C:\\Users\\cb\\so lieu.csv'), 'so lieu.csv');
  assert.equal(normaliseFileName('.hidden.csv'), 'hidden.csv');
  assert.equal(normaliseFileName('data.csv. . '), 'data.csv');
  assert.equal(normaliseFileName('a\u0000b\u202e.csv'), 'a_b_.csv');
  assert.equal(normaliseFileName('Tie\u0302\u0301ng Vie\u0323\u0302t.csv'), 'Tiếng Việt.csv', 'NFC');
});

test('finding 3: local storage refuses keys that name a folder or end in a dot or a space', async () => {
  const storage = new LocalFileStorage(path.join('/tmp', 'portal-never-written'));
  for (const key of ['resources/a/..', 'resources/a/.. ', 'resources/a/.', 'resources//a.csv', 'resources/a/data.csv ', 'resources/a\u0000/b']) {
    await assert.rejects(storage.put(key, 'x'), /invalid storage key/, key);
  }
});
