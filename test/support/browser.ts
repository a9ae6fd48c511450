import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, devices, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Database } from '../../db/client.ts';
import { startChatApp, type ChatApp } from './chat.ts';
import { freshDatabase } from './db.ts';

/**
 * Debian's Chromium (`apt-get install -y chromium`) driven by playwright-core;
 * no browser is ever downloaded. A missing browser is an error the tests
 * report as failed, never a reason to skip them.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(opts: { fakeCamera?: string } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH)`);
  // A fake camera plays the given Y4M file, and the permission prompt is answered yes.
  const camera = opts.fakeCamera ? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${opts.fakeCamera}`] : [];
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', ...camera] });
}

const { defaultBrowserType: _, ...IPHONE } = devices['iPhone 13'];
export const SHOTS_DIR = path.resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'miniapp');

/**
 * A phone of its own (iPhone-sized, Chinese, touch) with the mini-app open,
 * signed in as the employee through the development sign-in.
 */
export async function miniappPhone(browser: Browser, base: string, employeeCode: string): Promise<Page> {
  const context = await browser.newContext({ ...IPHONE, locale: 'zh-CN' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${employeeCode} page error]`, err));
  await page.goto(`${base}/app/`);
  await page.getByText(`（${employeeCode}）`).click();
  await page.getByRole('searchbox').waitFor();
  return page;
}

/** From now on the page runs as on a low-end phone: Chromium's CPU throttling, 6× slower (DevTools' preset). */
export async function slowPhone(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
}

/** A full-page screenshot under test-artifacts/miniapp, to look at after the run. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`), fullPage: true });
}

/**
 * For a test file of the mini-app on phones: the product on loopback (as
 * startChatApp wires it) on a fresh database, and one Chromium, with the
 * file's hooks registered. `prepare` adds what the file needs. Without a
 * browser every test fails with the reason; none is skipped.
 */
export function productOnPhones(prepare: (env: { db: Database; app: ChatApp }) => Promise<void> = async () => {}) {
  const env = {} as { db: Database; app: ChatApp; browser: Browser };
  let noBrowser: Error | undefined;
  beforeAll(async () => {
    env.db = await freshDatabase();
    env.app = await startChatApp(env.db);
    await prepare(env);
    try {
      env.browser = await launchChromium();
    } catch (err) {
      noBrowser = err as Error;
    }
  }, 120_000);
  beforeEach(() => {
    if (noBrowser) throw noBrowser;
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.app?.close();
  });
  return { env, phoneOf: (employeeCode: string) => miniappPhone(env.browser, env.app.base, employeeCode) };
}
