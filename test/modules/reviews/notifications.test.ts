import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMailer } from '../../../src/modules/notifications/mailer.ts';
import { deliveredMail } from '../../helpers/mail.ts';
import { buildOffice, draftAndSubmit } from '../datasets/publishing-helpers.ts';

test('the leader is mailed when a draft is sent, the officer when it comes back or is published', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office, { title: 'Danh sách trường trung học phổ thông' });
  const toLeader = (await deliveredMail(office.app, 1)).at(-1)!;
  assert.match(toLeader.subject, /^Chờ duyệt: Danh sách trường trung học phổ thông$/);
  assert.match(toLeader.text, new RegExp(`/admin/datasets/${datasetId}/review`));
  assert.equal((toLeader.to as string[]).length, 1, 'only the agency’s leader');

  await office.leader.get(`/admin/datasets/${datasetId}/review`);
  await office.leader.post(`/admin/datasets/${datasetId}/return`, { comment: 'Bổ sung cột số giáo viên.' });
  const toOfficer = (await deliveredMail(office.app, 1)).at(-1)!;
  assert.match(toOfficer.subject, /^Bị trả lại:/);
  assert.match(toOfficer.text, /Bổ sung cột số giáo viên\./);
  assert.notDeepEqual(toOfficer.to, toLeader.to);

  await office.officer.post(`/admin/datasets/${datasetId}/submit`);
  await office.leader.post(`/admin/datasets/${datasetId}/approve`, { comment: '', piiConfirmed: 'on' });
  // Sent again, then published: two more mails, the last one to the officer.
  assert.ok((await deliveredMail(office.app, 2)).some((mail) => /^Đã công bố:/.test(mail.subject)));
});

test('without an SMTP server nothing is mailed', async () => {
  const mailer = createMailer({ from: 'x@example.org', log: { warn() {}, info() {} } });
  assert.equal(mailer.enabled, false);
  await mailer.send({ to: 'a@example.org', subject: 's', text: 't' });
  assert.deepEqual(mailer.sent, []);
});
