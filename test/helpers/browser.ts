import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { TestApp } from './app.ts';
import { testPassword } from './factories.ts';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(chromiumPath);
/** Given to test() as `skip`: one line that says why the journey did not run. */
export const skipWithoutChromium = chromiumAvailable ? false : `Chromium not found at ${chromiumPath}: browser journeys skipped (apt-get install chromium)`;

/** How long closing Chromium may take before its processes are killed. */
const closeDeadlineMs = 15_000;

/**
 * Debian's Chromium, headless; the flags keep it from reaching for the network this machine does not
 * have. Closed within a deadline, then killed: twice on a loaded machine (1 Dec 2026) closing the
 * browser never finished, and held the test file's process, and the whole suite, for 20 minutes. Test
 * files run in processes of their own and their tests one at a time, so the Chromium children of this
 * process are this test's browser.
 */
export async function launchBrowser(t: TestContext): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  t.after(async () => {
    // Killed, Chromium lets close() return.
    const deadline = setTimeout(() => spawnSync('pkill', ['-KILL', '-P', String(process.pid), 'chromium']), closeDeadlineMs);
    await browser.close().catch(() => {});
    clearTimeout(deadline);
  });
  return browser;
}

/** Serves a test app on a free loopback port for a real browser. */
export async function listen(testApp: TestApp): Promise<string> {
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/** A new browser context signed in as `email` (an account made with testPassword), on the page after sign-in. */
export async function signedIn(browser: Browser, baseUrl: string, email: string, context: BrowserContextOptions = {}): Promise<Page> {
  const page = await (await browser.newContext(context)).newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Thư điện tử').fill(email);
  await page.getByLabel('Mật khẩu').fill(testPassword);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}
