import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { buildDataset } from '../../helpers/factories.ts';
import { pageText } from '../datasets/publishing-helpers.ts';

// Seen in a browser: the JSON-LD `license` of every dataset pointed at /terms, which answered 404.

test('/terms shows DOIT’s terms of use in the visitor’s language', async (t) => {
  const { app } = await buildTestApp(t);
  const vi = await app.inject({ url: '/terms' });
  assert.equal(vi.statusCode, 200);
  assert.match(pageText(vi.body), /Dữ liệu trên Cổng được cung cấp miễn phí/);
  const en = await app.inject({ url: '/terms?lang=en' });
  assert.match(pageText(en.body), /Data on this portal are free of charge/);
});

test('a dataset without its own licence says so in JSON-LD with the address of /terms, which answers', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const { dataset } = await buildDataset(db, storage, { revision: { licence: '' } });
  const page = await app.inject({ url: `/dataset/${dataset.slug}` });
  const jsonLd = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.body)?.[1] ?? '{}') as { license?: string };
  assert.match(jsonLd.license ?? '', /\/terms$/);
  assert.equal((await app.inject({ url: new URL(jsonLd.license ?? '').pathname })).statusCode, 200);
  assert.match(page.body, /<a href="\/terms">/);
});

test('a licence named in words is not passed off as a licence address', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const { dataset } = await buildDataset(db, storage, { revision: { licence: 'Điều khoản sử dụng dữ liệu mở của tỉnh' } });
  const page = await app.inject({ url: `/dataset/${dataset.slug}` });
  const jsonLd = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.body)?.[1] ?? '{}') as { license?: string };
  assert.match(jsonLd.license ?? '', /^https?:\/\/.*\/terms$/);
});
