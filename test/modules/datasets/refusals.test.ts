import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import {
  buildOffice,
  countRows,
  createDraftThroughForm,
  datasetFormValues,
  draftAndSubmit,
  fieldError,
  fieldErrors,
  filesOnDisk,
  formError,
  pageText,
  publishThroughFlow,
  resourcesOfRevision,
  revisionsOf,
  schoolsCsv,
  shownValue,
  snapshot,
  uploadFile,
} from './publishing-helpers.ts';

// The "Bad input" list of the publishing issue: each refusal says a sentence, changes nothing in the
// database, and leaves no file in storage or in the upload staging area.

test('approval by another agency’s leader is refused (403) and changes nothing', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  const before = await snapshot(office.db, datasetId);
  const response = await office.otherLeader.post(`/admin/datasets/${datasetId}/approve`, { comment: '', piiConfirmed: 'on' });
  assert.equal(response.statusCode, 403);
  assert.match(pageText(response.body), /Bạn không có quyền thực hiện thao tác này/);
  assert.equal((await office.otherLeader.post(`/admin/datasets/${datasetId}/return`, { comment: 'Không phải việc của tôi.' })).statusCode, 403);
  assert.equal((await office.otherLeader.get(`/admin/datasets/${datasetId}/review`)).statusCode, 403);
  assert.deepEqual(await snapshot(office.db, datasetId), before);
});

test('a return without a comment is refused with a sentence on the comment field', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  const before = await snapshot(office.db, datasetId);
  await office.leader.get(`/admin/datasets/${datasetId}/review`);
  for (const comment of ['', '    ']) {
    const response = await office.leader.post(`/admin/datasets/${datasetId}/return`, { comment });
    assert.equal(response.statusCode, 422);
    assert.equal(fieldError(response.body, 'comment'), 'Hãy ghi ý kiến chỉ đạo (ít nhất 5 ký tự) khi trả lại.');
  }
  assert.deepEqual(await snapshot(office.db, datasetId), before);
});

test('a double submit is refused with a sentence and the revision stays pending once', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  const before = await snapshot(office.db, datasetId);
  const again = await office.officer.post(`/admin/datasets/${datasetId}/submit`);
  assert.ok([409, 422].includes(again.statusCode), `status ${again.statusCode}`);
  assert.equal(formError(again.body), 'Phiên bản này đã được gửi và đang chờ lãnh đạo duyệt.');
  assert.deepEqual(await snapshot(office.db, datasetId), before);
});

test('a draft without any file or link cannot be submitted', async (t) => {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  const before = await snapshot(office.db, datasetId);
  const response = await office.officer.post(`/admin/datasets/${datasetId}/submit`);
  assert.ok([409, 422].includes(response.statusCode), `status ${response.statusCode}`);
  assert.equal(formError(response.body), 'Hãy thêm ít nhất một tệp dữ liệu hoặc liên kết trước khi gửi duyệt.');
  assert.deepEqual(await snapshot(office.db, datasetId), before);
});

test('a revision waiting for the leader cannot be edited nor given files', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  const before = await snapshot(office.db, datasetId);
  const filesBefore = await filesOnDisk(office.dataDir);

  const edit = await office.officer.post(`/admin/datasets/${datasetId}`, datasetFormValues(office.topic.id, { title: 'Tên sửa trong lúc chờ duyệt' }));
  assert.ok([409, 422].includes(edit.statusCode), `status ${edit.statusCode}`);
  assert.equal(formError(edit.body), 'Phiên bản này đang chờ lãnh đạo duyệt nên không sửa được. Hãy chờ duyệt hoặc đề nghị lãnh đạo trả lại.');
  // The form keeps what the officer typed.
  assert.equal(shownValue(edit.body, 'title'), 'Tên sửa trong lúc chờ duyệt');

  const upload = await uploadFile(office.officer, office.app, datasetId, { fileName: 'them.csv', content: schoolsCsv });
  assert.equal(upload.statusCode, 303);
  assert.match(pageText((await office.officer.get(`/admin/datasets/${datasetId}`)).body), /đang chờ lãnh đạo duyệt nên không sửa được/);

  assert.deepEqual(await snapshot(office.db, datasetId), before);
  assert.deepEqual(await filesOnDisk(office.dataDir), filesBefore);
});

/** Uploads a bad file to a fresh draft and checks the sentence, the untouched draft and the empty storage. */
async function refusedUpload(
  t: TestContext,
  file: { fileName: string; content: Buffer | string },
  expected: { status: number; sentence: RegExp },
  env: Record<string, string> = {},
) {
  const office = await buildOffice(t, env);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  const before = await snapshot(office.db, datasetId);
  const posted = await uploadFile(office.officer, office.app, datasetId, file);
  // Post/redirect/get: the refusal comes back on the workspace, not on the form's address.
  assert.equal(posted.statusCode, 303, `refused with ${expected.status}, redirected: ${pageText(posted.body).slice(0, 300)}`);
  assert.equal(posted.headers.location, `/admin/datasets/${datasetId}#field-file`);
  const response = await office.officer.get(`/admin/datasets/${datasetId}`);
  const sentence = fieldError(response.body, 'file');
  assert.ok(sentence, 'the sentence is shown next to the file field');
  assert.match(sentence, expected.sentence);
  assert.deepEqual(await snapshot(office.db, datasetId), before);
  assert.deepEqual(await filesOnDisk(office.dataDir), [], 'no file left in storage or staging');
  return office;
}

test('an empty CSV is refused with a sentence and leaves no file behind', async (t) => {
  await refusedUpload(t, { fileName: 'rong.csv', content: '' }, { status: 422, sentence: /^Tệp rỗng: không có dữ liệu nào\.$/ });
});

test('a CSV of blank lines is refused as empty and leaves no file behind', async (t) => {
  await refusedUpload(t, { fileName: 'dong-trong.csv', content: '\n\n\r\n' }, { status: 422, sentence: /^Tệp không có dữ liệu nào\.$/ });
});

test('a CSV with only a header row is refused and leaves no file behind', async (t) => {
  await refusedUpload(t, { fileName: 'tieu-de.csv', content: 'tên trường,huyện,số học sinh\n' }, { status: 422, sentence: /^Tệp chỉ có dòng tiêu đề, chưa có dòng dữ liệu nào\.$/ });
});

test('a PDF named .csv is refused, naming both formats, and leaves no file behind', async (t) => {
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  await refusedUpload(t, { fileName: 'bao-cao.csv', content: pdf }, { status: 422, sentence: /^Nội dung tệp là PDF nhưng tên tệp ghi là CSV\./ });
});

test('an upload over UPLOAD_MAX_MB is refused with the limit in the sentence and leaves no file behind', async (t) => {
  const row = 'THPT Quốc Học,Quy Nhơn,1200\n';
  const content = `tên trường,huyện,số học sinh\n${row.repeat(Math.ceil((2 * 1024 * 1024) / Buffer.byteLength(row)))}`;
  await refusedUpload(t, { fileName: 'lon.csv', content }, { status: 413, sentence: /^Tệp lớn hơn giới hạn 1 MB\./ }, { UPLOAD_MAX_MB: '1' });
});

test('a duplicate address is refused with a sentence on the slug field', async (t) => {
  const office = await buildOffice(t);
  await publishThroughFlow(office, { slug: 'truong-thpt' });
  const rowsBefore = await countRows(office.db);
  const { response } = await createDraftThroughForm(office.officer, office.topic.id, { title: 'Trường THPT ngoài công lập', slug: 'truong-thpt' });
  assert.ok([409, 422].includes(response.statusCode), `status ${response.statusCode}`);
  assert.equal(fieldError(response.body, 'slug'), 'Địa chỉ này đã được dùng cho một tập dữ liệu khác. Hãy chọn địa chỉ khác.');
  assert.equal(shownValue(response.body, 'title'), 'Trường THPT ngoài công lập');
  assert.deepEqual(await countRows(office.db), rowsBefore);

  // The same on editing another draft to take that address.
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id, { title: 'Trường THPT tư thục', slug: 'truong-thpt-tu-thuc' });
  const before = await snapshot(office.db, datasetId);
  const edit = await office.officer.post(`/admin/datasets/${datasetId}`, datasetFormValues(office.topic.id, { title: 'Trường THPT tư thục', slug: 'truong-thpt' }));
  assert.ok([409, 422].includes(edit.statusCode), `status ${edit.statusCode}`);
  assert.equal(fieldError(edit.body, 'slug'), 'Địa chỉ này đã được dùng cho một tập dữ liệu khác. Hãy chọn địa chỉ khác.');
  assert.deepEqual(await snapshot(office.db, datasetId), before);
});

test('a missing required field keeps every other value in the re-rendered form', async (t) => {
  const office = await buildOffice(t);
  const rowsBefore = await countRows(office.db);
  const values = datasetFormValues(office.topic.id, { title: '', slug: 'truong-thpt-2024', updateFrequency: 'quarterly', licence: 'CC BY 4.0' });
  await office.officer.get('/admin/datasets/new');
  const response = await office.officer.post('/admin/datasets', values);
  assert.equal(response.statusCode, 422);
  assert.equal(fieldError(response.body, 'title'), 'Vui lòng nhập tên tập dữ liệu (ít nhất 5 ký tự).');
  for (const [field, value] of Object.entries(values)) {
    if (field === 'title') continue;
    assert.equal(shownValue(response.body, field), value, `field ${field} keeps its value`);
  }
  assert.deepEqual(await countRows(office.db), rowsBefore);
});

test('a refused edit of a draft keeps the draft as it was', async (t) => {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  const before = await snapshot(office.db, datasetId);
  const response = await office.officer.post(`/admin/datasets/${datasetId}`, datasetFormValues(office.topic.id, { description: 'quá ngắn', notes: 'Ghi chú mới' }));
  assert.equal(response.statusCode, 422);
  assert.ok(fieldError(response.body, 'description'));
  assert.equal(shownValue(response.body, 'notes'), 'Ghi chú mới');
  assert.deepEqual(await snapshot(office.db, datasetId), before);
  assert.equal((await revisionsOf(office.db, datasetId))[0].notes, 'Số liệu năm học 2023–2024');
});

test('a discarded draft leaves no uploaded file in storage', async (t) => {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  const upload = await uploadFile(office.officer, office.app, datasetId, { fileName: 'truong.csv', content: schoolsCsv });
  assert.equal(upload.statusCode, 302);
  assert.equal((await filesOnDisk(office.dataDir)).length, 1);
  const discarded = await office.officer.post(`/admin/datasets/${datasetId}/discard`, { confirm: 'yes' });
  assert.equal(discarded.statusCode, 302);
  assert.deepEqual(await countRows(office.db).then((rows) => rows.datasets), 0);
  assert.deepEqual(await filesOnDisk(office.dataDir), [], 'the draft’s file went with it');
});

test('a file replaced inside a draft leaves no orphan in storage', async (t) => {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  await uploadFile(office.officer, office.app, datasetId, { fileName: 'truong.csv', content: schoolsCsv });
  const [revision] = await revisionsOf(office.db, datasetId);
  const [first] = await resourcesOfRevision(office.db, revision.id);
  const replaced = await uploadFile(office.officer, office.app, datasetId, {
    fileName: 'truong-v2.csv',
    content: `${schoolsCsv}THPT Tuy Phước,Tuy Phước,800\n`,
    replaceResourceId: first.id,
  });
  assert.equal(replaced.statusCode, 302, fieldErrors(replaced.body).join(' | '));
  const [second] = await resourcesOfRevision(office.db, revision.id);
  assert.equal(second.lineageId, first.lineageId);
  assert.deepEqual(await filesOnDisk(office.dataDir), [`files/${second.storageKey}`], 'only the new file is stored');
});
