import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildOffice, createDraftThroughForm, draftAndSubmit, pageText, uploadFile } from '../datasets/publishing-helpers.ts';
import { buildFeedbackWorld, sendFeedback } from '../feedback/support.ts';

// Small things seen in a browser, each named after what the person saw.

test('the dataset workspace has no id twice, so each label points at its own input', async (t) => {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  const body = (await office.officer.get(`/admin/datasets/${datasetId}`)).body;
  const ids = [...body.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
  const twice = ids.filter((id, index) => ids.indexOf(id) !== index);
  assert.deepEqual(twice, []);
  for (const [, target] of body.matchAll(/<label for="([^"]+)"/g)) assert.ok(ids.includes(target), `a label points at #${target}, which exists`);
});

test('after a refused upload the address bar holds no CSRF token and a reload does not send the file again', async (t) => {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  const refused = await uploadFile(office.officer, office.app, datasetId, { fileName: 'rong.csv', content: '' });
  assert.equal(refused.statusCode, 303, 'post/redirect/get');
  assert.doesNotMatch(String(refused.headers.location), /_csrf/);
  const page = await office.officer.get(String(refused.headers.location).replace(/#.*$/, ''));
  assert.match(pageText(page.body), /Tệp rỗng/);
  const reload = await office.officer.get(`/admin/datasets/${datasetId}`);
  assert.doesNotMatch(pageText(reload.body), /Tệp rỗng/, 'the refusal is shown once');
});

test('a feedback sent too fast says what happened instead of pointing at marked fields that are not there', async (t) => {
  const world = await buildFeedbackWorld(t);
  const { response } = await sendFeedback(world.visitor, { stamp: '' });
  const text = pageText(response.body);
  assert.match(text, /quá nhanh/);
  assert.doesNotMatch(text, /ô được đánh dấu/);
});

test('the English back office names topics in English', async (t) => {
  const office = await buildOffice(t);
  await draftAndSubmit(office);
  const inbox = pageText((await office.leader.get('/admin/inbox?lang=en')).body);
  assert.match(inbox, /Education/);
  assert.doesNotMatch(inbox, /Giáo dục ·/);
});

test('the settings page lists the holidays year by year and warns when next year’s are missing', async (t) => {
  const office = await buildOffice(t);
  const page = pageText((await office.admin.get('/admin/settings')).body);
  assert.match(page, /2026 ?: 01\/01\/2026, 16\/02\/2026/);
  const nextYear = new Date(Date.now() + 7 * 3_600_000).getUTCFullYear() + 1;
  assert.match(page, new RegExp(`Chưa có danh sách ngày nghỉ lễ năm ${nextYear}`));
});
