import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deliveredMail } from '../../helpers/mail.ts';
import { buildFeedbackWorld, feedbackFormValues } from './support.ts';

// Issue 10, finding 4: without BASE_URL, an anonymous feedback POST with `Host: evil.example` made
// the portal mail the agency a link to http://evil.example/admin/…

async function postWithHost(w: Awaited<ReturnType<typeof buildFeedbackWorld>>, host: string) {
  await w.visitor.get('/feedback/new');
  return w.app.inject({
    method: 'POST',
    url: '/feedback',
    headers: { host, 'content-type': 'application/x-www-form-urlencoded' },
    cookies: Object.fromEntries(w.visitor.cookies),
    remoteAddress: '203.0.113.7',
    payload: new URLSearchParams({ _csrf: w.visitor.csrfToken ?? '', ...feedbackFormValues(w.app, { datasetId: w.dataset.id }) }).toString(),
  });
}

test('finding 4: a feedback POST with a forged Host header never puts that host in the mail (no BASE_URL)', async (t) => {
  const w = await buildFeedbackWorld(t);
  const response = await postWithHost(w, 'evil.example');
  assert.equal(response.statusCode, 302);
  const mail = (await deliveredMail(w.app, 1)).find((item) => String(item.subject).startsWith('Góp ý mới'));
  assert.ok(mail, 'the agency is told');
  const text = JSON.stringify(mail);
  assert.doesNotMatch(text, /evil\.example/);
  assert.match(text, /http:\/\/127\.0\.0\.1:3000\/admin\/feedback\//, 'the link uses the configured HOST:PORT');
});

test('finding 4: with BASE_URL the mail links to it, whatever Host the visitor sent', async (t) => {
  const w = await buildFeedbackWorld(t, { BASE_URL: 'https://data.binhdinh.example' });
  await postWithHost(w, 'evil.example');
  const text = JSON.stringify(await deliveredMail(w.app, 1));
  assert.doesNotMatch(text, /evil\.example/);
  assert.match(text, /https:\/\/data\.binhdinh\.example\/admin\/feedback\//);
});

test('finding 4: a forged Host header does not reach the canonical link of a public page', async (t) => {
  const w = await buildFeedbackWorld(t);
  const page = await w.app.inject({ url: '/dataset/chat-luong-khong-khi', headers: { host: 'evil.example' } });
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /evil\.example/);
});
