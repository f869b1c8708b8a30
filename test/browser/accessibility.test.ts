import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { seedDemo } from '../../src/modules/demo/seed-demo.ts';
import { buildTestApp } from '../helpers/app.ts';
import { launchBrowser, listen, skipWithoutChromium } from '../helpers/browser.ts';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

test('the home, search, dataset and resource pages have no serious or critical accessibility violation (axe-core)', { skip: skipWithoutChromium }, async (t) => {
  const testApp = await buildTestApp(t);
  await seedDemo({ database: testApp.database, storage: testApp.storage });
  await testApp.app.searchIndexer.drain();
  const baseUrl = await listen(testApp);
  const browser = await launchBrowser(t);
  // axe is injected by the test, not served by the portal: let it past the portal's CSP.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const axe = await readFile(axePath, 'utf8');

  await page.goto(`${baseUrl}/dataset?q=truong`);
  const datasetUrl = await page.locator('.dataset-item__title a').first().getAttribute('href');
  await page.goto(`${baseUrl}${datasetUrl}`);
  const resourceUrl = await page.locator('.resource__name a').first().getAttribute('href').catch(() => null);

  const pages = ['/', '/dataset?q=truong', '/group/giao-duc', datasetUrl!, ...(resourceUrl ? [resourceUrl] : []), '/login', '/?lang=en'];
  const problems: string[] = [];
  for (const path of pages) {
    await page.goto(`${baseUrl}${path}`);
    await page.evaluate(axe);
    const violations = (await page.evaluate(async () => {
      // biome-ignore lint/suspicious/noExplicitAny: axe and document are globals of the page, not of Node.
      const result = await (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] });
      return result.violations;
    })) as AxeViolation[];
    for (const violation of violations.filter((item) => item.impact === 'serious' || item.impact === 'critical')) {
      problems.push(`${path}: ${violation.id} (${violation.impact}) ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')}`);
    }
  }
  assert.deepEqual(problems, []);
});
