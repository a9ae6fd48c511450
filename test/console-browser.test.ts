import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { startChatApp, type ChatApp } from './support/chat.ts';
import { freshDatabase } from './support/db.ts';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it). Missing → the test fails, it is never skipped. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let db: Database;
let app: ChatApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  db = await freshDatabase();
  app = await startChatApp(db);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  await page.goto(`${app.base}/console`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function asPersona(code: string): Promise<void> {
  await page.getByTestId('persona-select').selectOption(code);
  await page.getByTestId(`chat-item-dm:${code}`).click();
}

async function send(text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-send').click();
}

const botCards = () => page.locator('[data-kind="bot"]');

describe('the local console in a browser', () => {
  it('ask stock, request, approve as someone else: cards update live', async () => {
    await asPersona('KEEP');
    await send('A-1001还有多少');
    const answer = botCards().last();
    await expect.poll(() => answer.getByTestId('card-title').textContent()).toBe('螺丝M6 A-1001');
    const table = await answer.getByTestId('card-table').textContent();
    expect(table).toContain('上海仓');
    expect(table).not.toContain('苏州仓'); // KEEP may only see 上海仓

    await send('申请出库 A-1001 5 个 上海仓 用途 样品');
    await expect.poll(() => botCards().last().getByTestId('card-title').textContent()).toBe('确认提交出库申请？');
    const confirm = botCards().last();
    await confirm.locator('[data-label="提交"]').click();
    // The confirmation turns into the request card in place.
    await expect.poll(() => confirm.getByTestId('card-title').textContent(), { timeout: 20_000 }).toMatch(/^出库申请 SQ/);
    const title = (await confirm.getByTestId('card-title').textContent()) ?? '';

    await asPersona('WM');
    const task = page.locator('[data-kind="bot"]', { has: page.getByTestId('card-title').filter({ hasText: title }) }).last();
    await expect.poll(() => task.locator('[data-label="同意"]').count(), { timeout: 20_000 }).toBe(1);
    await task.locator('[data-label="同意"]').click();
    await expect.poll(() => task.locator('[data-label="同意"]').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(async () => (await task.getByTestId('card-note').allTextContents()).join('\n'), { timeout: 20_000 }).toContain('仓库主管 已同意');
  }, 90_000);

  it('in a group the bot answers only when @-mentioned', async () => {
    await page.getByTestId('chat-item-g-warehouse').click();
    await page.getByTestId('mention-toggle').uncheck();
    await send('A-1001还有多少');
    await expect.poll(() => page.locator('[data-kind="user"]').count()).toBe(1);
    await page.waitForTimeout(1500);
    expect(await botCards().count()).toBe(0);

    await page.getByTestId('mention-toggle').check();
    await send('A-1001还有多少');
    await expect.poll(() => botCards().count(), { timeout: 10_000 }).toBe(1);
    expect(await botCards().first().getByTestId('card-title').textContent()).toBe('螺丝M6 A-1001');
  }, 60_000);
});
