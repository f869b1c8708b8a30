import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../src/modules/demo/seed-demo.ts';
import { buildTestApp } from '../helpers/app.ts';
import { launchBrowser, listen, signedIn, skipWithoutChromium } from '../helpers/browser.ts';
import { buildAgency, buildDataset, buildTopic, buildUser } from '../helpers/factories.ts';

// Layout facts a person sees, not pixels: at a laptop's and a phone's size.
const sizes = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
];
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

async function demoSite(t: Parameters<typeof buildTestApp>[0]) {
  const testApp = await buildTestApp(t);
  await seedDemo({ database: testApp.database, storage: testApp.storage });
  await testApp.app.searchIndexer.drain();
  return { testApp, baseUrl: await listen(testApp), browser: await launchBrowser(t) };
}

async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // biome-ignore lint/suspicious/noExplicitAny: document is a global of the page, not of Node.
    const doc = (globalThis as any).document;
    const width = doc.documentElement.clientWidth;
    const wide: string[] = [];
    for (const element of doc.querySelectorAll('body *')) {
      const box = element.getBoundingClientRect();
      // Inside a scrolling table wrapper a wide table is expected: the wrapper scrolls, the page does not.
      if (box.right > width + 1 && !element.closest('.table-wrap, .resource-chart, pre')) wide.push(`${element.tagName.toLowerCase()}.${element.className}`);
    }
    return doc.documentElement.scrollWidth > width ? [`page ${doc.documentElement.scrollWidth} > ${width}`, ...wide.slice(0, 5)] : [];
  });
}

test('the first search result is inside the first screen on /dataset, with and without filters, at 1280×900 and 390×844', { skip: skipWithoutChromium }, async (t) => {
  const { baseUrl, browser } = await demoSite(t);
  for (const viewport of sizes) {
    const page = await (await browser.newContext({ viewport })).newPage();
    for (const path of ['/dataset', '/dataset?topic=giao-duc', '/dataset?q=truong&sort=name']) {
      await page.goto(`${baseUrl}${path}`);
      const first = await page.locator('.dataset-item').first().boundingBox();
      assert.ok(first, `${path} at ${viewport.width}: a result is shown`);
      assert.ok(first.y + 40 < viewport.height, `${path} at ${viewport.width}: the first result starts at ${Math.round(first.y)} px, below the ${viewport.height} px screen`);
    }
    // On a phone the filters wait behind one line; beside the results on a wide screen.
    await page.goto(`${baseUrl}/dataset`);
    const facetsOpen = await page.locator('.facet').first().isVisible();
    assert.equal(facetsOpen, viewport.width >= 900, `filters ${facetsOpen ? 'open' : 'closed'} at ${viewport.width}`);
  }
});

test('an active filter shows as a chip that removes it', { skip: skipWithoutChromium }, async (t) => {
  const { baseUrl, browser } = await demoSite(t);
  const page = await (await browser.newContext({ viewport: sizes[1] })).newPage();
  await page.goto(`${baseUrl}/dataset?topic=giao-duc`);
  const chip = page.locator('.filter-chip');
  assert.equal(await chip.count(), 1);
  await chip.click();
  await page.waitForURL(`${baseUrl}/dataset`);
  assert.equal(await page.locator('.filter-chip').count(), 0);
});

test('no public page overflows sideways at 1280×900 or 390×844', { skip: skipWithoutChromium }, async (t) => {
  const { baseUrl, browser } = await demoSite(t);
  const context = await browser.newContext();
  const probe = await context.newPage();
  await probe.goto(`${baseUrl}/dataset?q=truong`);
  const datasetUrl = (await probe.locator('.dataset-item__title a').first().getAttribute('href')) as string;
  await probe.goto(`${baseUrl}${datasetUrl}`);
  const resourceUrl = (await probe.locator('.resource__name a').first().getAttribute('href')) as string;
  for (const viewport of sizes) {
    const page = await (await browser.newContext({ viewport })).newPage();
    for (const path of ['/', '/dataset', '/dataset?topic=giao-duc', '/group', '/organization', '/terms', datasetUrl, resourceUrl, '/feedback']) {
      await page.goto(`${baseUrl}${path}`);
      assert.deepEqual(await horizontalOverflow(page), [], `${path} at ${viewport.width}`);
    }
  }
});

/** Bytes a first visit transfers (an empty cache: a new context), headers included. */
async function firstVisitWeight(browser: Browser, url: string): Promise<number> {
  const page = await (await browser.newContext({ viewport: sizes[0] })).newPage();
  const sizesOf: Array<Promise<number>> = [];
  page.on('requestfinished', (request) => sizesOf.push(request.sizes().then((size) => size.responseBodySize + size.responseHeadersSize)));
  await page.goto(url, { waitUntil: 'networkidle' });
  return (await Promise.all(sizesOf)).reduce((sum, size) => sum + size, 0);
}

test('public pages stay under 100 KB transferred on a first visit (no map)', { skip: skipWithoutChromium }, async (t) => {
  const { baseUrl, browser } = await demoSite(t);
  const probe = await (await browser.newContext()).newPage();
  await probe.goto(`${baseUrl}/dataset?q=truong`);
  const datasetUrl = (await probe.locator('.dataset-item__title a').first().getAttribute('href')) as string;
  const heavy: string[] = [];
  for (const path of ['/', '/organization', '/group', '/terms', datasetUrl]) {
    const total = await firstVisitWeight(browser, `${baseUrl}${path}`);
    if (total > 100 * 1024) heavy.push(`${path}: ${Math.round(total / 1024)} KB`);
  }
  assert.deepEqual(heavy, []);
});

// The first visit misses the page cache: the page is compressed on the way out (30 kB of HTML → 5 kB).
test('the search page stays under 100 KB transferred on a first visit', { skip: skipWithoutChromium }, async (t) => {
  const { baseUrl, browser } = await demoSite(t);
  const total = await firstVisitWeight(browser, `${baseUrl}/dataset`);
  assert.ok(total <= 100 * 1024, `${Math.round(total / 1024)} KB`);
});

// axe is injected by the test, not served by the portal: let it past the portal's CSP.
const signedInForAxe = (browser: Browser, baseUrl: string, email: string, viewport = sizes[0]) => signedIn(browser, baseUrl, email, { viewport, bypassCSP: true });

test('danger buttons look dangerous and ask in a dialog before acting', { skip: skipWithoutChromium }, async (t) => {
  const testApp = await buildTestApp(t);
  const { db, storage } = testApp;
  const agency = await buildAgency(db);
  const topic = await buildTopic(db);
  const officer = await buildUser(db, { role: 'officer', agency });
  const { dataset } = await buildDataset(db, storage, { agency, topic, published: false, files: [{ content: 'a,b\n1,2\n', name: 'Bảng số liệu' }] });
  const baseUrl = await listen(testApp);
  const browser = await launchBrowser(t);
  for (const viewport of sizes) {
    const page = await signedInForAxe(browser, baseUrl, officer.email, viewport);
    await page.goto(`${baseUrl}/admin/datasets/${dataset.id}`);
    for (const name of ['Gỡ khỏi bản nháp', 'Hủy bản nháp']) {
      const button = page.getByRole('button', { name, exact: true });
      // biome-ignore lint/suspicious/noExplicitAny: getComputedStyle is a global of the page, not of Node.
      const background = await button.evaluate((element) => (globalThis as any).getComputedStyle(element).backgroundColor);
      assert.equal(background, 'rgb(180, 35, 24)', `“${name}” at ${viewport.width} is red, not the primary blue`);
    }
    // Asked, then cancelled: nothing happens.
    await page.getByRole('button', { name: 'Hủy bản nháp', exact: true }).click();
    const dialog = page.locator('dialog.confirm-dialog[open]');
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', /Hủy bản nháp “Tập dữ liệu/);
    await dialog.getByRole('button', { name: 'Không, quay lại' }).click();
    assert.equal(await page.locator('dialog.confirm-dialog[open]').count(), 0);
    assert.equal(new URL(page.url()).pathname, `/admin/datasets/${dataset.id}`);
  }
  // Asked, then confirmed: the file goes.
  const page = await signedInForAxe(browser, baseUrl, officer.email);
  await page.goto(`${baseUrl}/admin/datasets/${dataset.id}`);
  await page.getByRole('button', { name: 'Gỡ khỏi bản nháp', exact: true }).click();
  await page.locator('dialog.confirm-dialog[open]').getByRole('button', { name: 'Gỡ khỏi bản nháp' }).click();
  await page.waitForLoadState('load');
  await page.locator('.alert--success').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Gỡ khỏi bản nháp', exact: true }).count(), 0);
});

test('the pages changed for issue 12 have no serious or critical accessibility violation (axe-core)', { skip: skipWithoutChromium }, async (t) => {
  const testApp = await buildTestApp(t);
  const { db, storage } = testApp;
  const agency = await buildAgency(db);
  const topic = await buildTopic(db, { slug: 'giao-duc' });
  const officer = await buildUser(db, { role: 'officer', agency });
  const admin = await buildUser(db, { role: 'admin' });
  const { dataset } = await buildDataset(db, storage, { agency, topic, published: false, files: [{ content: 'a,b\n=1+1,2\n', name: 'Bảng số liệu' }] });
  await buildDataset(db, storage, { agency, topic });
  await testApp.app.searchIndexer.drain();
  const baseUrl = await listen(testApp);
  const browser = await launchBrowser(t);
  const axe = await readFile(axePath, 'utf8');
  const problems: string[] = [];
  const check = async (page: Page, path: string) => {
    await page.goto(`${baseUrl}${path}`);
    await page.evaluate(axe);
    const violations = (await page.evaluate(async () => {
      // biome-ignore lint/suspicious/noExplicitAny: axe and document are globals of the page, not of Node.
      const result = await (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] });
      return result.violations;
    })) as Array<{ id: string; impact: string | null; nodes: Array<{ target: string[] }> }>;
    for (const violation of violations.filter((item) => item.impact === 'serious' || item.impact === 'critical')) {
      problems.push(`${path}: ${violation.id} at ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')}`);
    }
  };
  for (const viewport of sizes) {
    const visitor = await (await browser.newContext({ viewport, bypassCSP: true })).newPage();
    for (const path of ['/dataset?topic=giao-duc', '/terms']) await check(visitor, path);
  }
  const officerPage = await signedInForAxe(browser, baseUrl, officer.email);
  for (const path of [`/admin/datasets/${dataset.id}`, `/admin/datasets/${dataset.id}/review`]) await check(officerPage, path);
  const doit = await signedInForAxe(browser, baseUrl, admin.email);
  for (const path of ['/admin/audit', '/admin/settings']) await check(doit, path);
  assert.deepEqual(problems, []);
});
