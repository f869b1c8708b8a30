import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queueMail } from '../../../src/modules/notifications/mail-queue.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { deliveredMail } from '../../helpers/mail.ts';

test('mail asked for inside a transaction leaves after the commit, through the job runner', async (t) => {
  const { app, db } = await buildTestApp(t);
  await app.ready();
  await db.transaction((tx) => queueMail(tx, { to: 'truong.phong@sotttt.gov.vn', subject: 'Bản nháp chờ duyệt', text: 'Mời xem.' }));
  const sent = await deliveredMail(app);
  assert.deepEqual(sent.map((mail) => [mail.to, mail.subject]), [[['truong.phong@sotttt.gov.vn'], 'Bản nháp chờ duyệt']]);
});

test('mail asked for in a transaction that rolls back never leaves', async (t) => {
  const { app, db } = await buildTestApp(t);
  await app.ready();
  await db
    .transaction(async (tx) => {
      await queueMail(tx, { to: 'can.bo@sotttt.gov.vn', subject: 'Không được gửi', text: '…' });
      throw new Error('the change failed');
    })
    .catch(() => {});
  await db.transaction((tx) => queueMail(tx, { to: 'can.bo@sotttt.gov.vn', subject: 'Được gửi', text: '…' }));
  const sent = await deliveredMail(app);
  assert.deepEqual(sent.map((mail) => mail.subject), ['Được gửi']);
});
