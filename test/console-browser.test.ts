import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from './support/browser.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { startChatApp, type ChatApp } from './support/chat.ts';
import { freshDatabase } from './support/db.ts';

/** The local console page in a real browser (see support/browser.ts). */
/** Approvals run through a real Temporal workflow: give them time. */
const SLOW = { timeout: 20_000 };

let db: Database;
let app: ChatApp;
let browser: Browser;
let page: Page;
/** Why there is no browser: every test then fails with it (reported as failed, not skipped). */
let noBrowser: Error | undefined;

beforeAll(async () => {
  db = await freshDatabase();
  app = await startChatApp(db);
  try {
    browser = await launchChromium();
  } catch (err) {
    noBrowser = err as Error;
    return;
  }
  page = await openConsole();
}, 120_000);

beforeEach(() => {
  if (noBrowser) throw noBrowser;
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function openConsole(viewport = { width: 1100, height: 800 }): Promise<Page> {
  const p = await (await browser.newContext({ viewport })).newPage();
  await p.goto(`${app.base}/console`);
  await p.getByTestId('persona-select').locator('option').first().waitFor({ state: 'attached' });
  return p;
}

async function asPersona(p: Page, code: string): Promise<void> {
  await p.getByTestId('persona-select').selectOption(code);
  await p.getByTestId(`chat-item-dm:${code}`).click();
}

async function send(p: Page, text: string): Promise<void> {
  await p.getByTestId('composer-input').fill(text);
  await p.getByTestId('composer-input').press('Enter');
}

const botMessages = (p: Page) => p.getByTestId('message-list').locator('[data-kind="bot"]');
const titleOf = (m: Locator) => m.getByTestId('card-title').textContent();
const field = (m: Locator, label: string) => m.locator(`[data-testid="card-field"][data-label="${label}"] dd`);
const notes = async (m: Locator) => (await m.getByTestId('card-note').allTextContents()).join('\n');

/** The stable handle of a message: its `message-<id>` test id, which survives updates in place. */
async function pin(p: Page, m: Locator): Promise<Locator> {
  const testId = await m.getAttribute('data-testid');
  if (!testId) throw new Error('message without data-testid');
  return p.getByTestId(testId);
}

describe('the local console in a browser', () => {
  it('ask stock, request, approve as someone else: cards update live', async () => {
    // Someone else's phone: the warehouse manager has the console open before anything is requested.
    const wmPhone = await openConsole();
    await asPersona(wmPhone, 'WM');

    await asPersona(page, 'KEEP');
    await expect.poll(() => page.getByTestId('chat-item-dm:KEEP').textContent()).toContain('与 库存领航 的单聊');
    await send(page, 'A-1001还有多少');
    await expect.poll(() => page.locator('[data-kind="user"]').last().textContent()).toContain('A-1001还有多少');
    await expect.poll(() => titleOf(botMessages(page).last())).toBe('螺丝M6 A-1001');
    const answer = await pin(page, botMessages(page).last());
    expect(await field(answer, '可用').textContent()).toBe('500 个'); // only 上海仓 counts for KEEP (苏州仓 has 120 more)
    expect(await field(answer, '现有').textContent()).toBe('500 个');
    const table = answer.getByTestId('card-table');
    await expect.poll(() => table.locator('tr', { hasText: '上海仓' }).isVisible()).toBe(true);
    expect(await table.locator('tr', { hasText: '苏州仓' }).count()).toBe(0); // KEEP may only see 上海仓
    expect(await answer.getByRole('link').textContent()).toMatch(/^↗ /);

    await send(page, '申请出库 A-1001 5 个 上海仓 用途 样品');
    await expect.poll(() => titleOf(botMessages(page).last())).toBe('确认提交出库申请？');
    const confirm = await pin(page, botMessages(page).last());
    await confirm.locator('[data-testid="card-button"][data-label="提交"]').click();
    // The confirmation turns into the request card in place.
    await expect.poll(() => titleOf(confirm), SLOW).toMatch(/^出库申请 SQ/);
    const title = (await titleOf(confirm)) ?? '';

    // The approval card reaches the manager's open page by long-poll, without a reload.
    const live = wmPhone.getByTestId('message-list').locator('[data-kind="bot"]', { has: wmPhone.getByTestId('card-title').getByText(title, { exact: true }) });
    await expect.poll(() => live.locator('[data-label="同意"]').count(), SLOW).toBe(1);

    // Same person on this page: switch persona, open the direct chat, decide.
    await asPersona(page, 'WM');
    const cards = page.getByTestId('message-list').locator('[data-kind="bot"]', { has: page.getByTestId('card-title').getByText(title, { exact: true }) });
    await expect.poll(() => cards.locator('[data-label="同意"]').count(), SLOW).toBe(1);
    const task = await pin(page, cards.last());
    await task.locator('[data-testid="card-button"][data-label="同意"]').click();
    await expect.poll(() => task.locator('[data-label="同意"]').count(), SLOW).toBe(0);
    await expect.poll(() => notes(task), SLOW).toContain('仓库主管 已同意');
    expect(await cards.count()).toBe(1); // updated in place, not posted again

    // The other page replaces the card it shows too (same message id, later seq).
    await expect.poll(() => live.locator('[data-label="同意"]').count(), SLOW).toBe(0);
    await expect.poll(() => notes(live), SLOW).toContain('仓库主管 已同意');
    expect(await live.count()).toBe(1);
    await wmPhone.context().close();
  }, 120_000);

  it('in a group the bot answers only when @-mentioned; text is shown, never run as markup', async () => {
    await page.getByTestId('chat-item-g-warehouse').click();
    await expect.poll(() => page.getByTestId('mention-toggle').isVisible()).toBe(true);
    expect(await page.getByTestId('mention-toggle').isChecked()).toBe(true); // on by default
    await page.getByTestId('mention-toggle').uncheck();
    await send(page, 'A-1001还有多少 <b>粗体</b>');
    const mine = page.locator('[data-kind="user"]');
    await expect.poll(() => mine.count()).toBe(1);
    expect(await mine.first().textContent()).toContain('A-1001还有多少 <b>粗体</b>');
    expect(await page.getByTestId('message-list').locator('b').count()).toBe(0);
    await page.waitForTimeout(1500);
    expect(await botMessages(page).count()).toBe(0);

    await page.getByTestId('mention-toggle').check();
    await send(page, 'A-1001还有多少');
    await expect.poll(() => botMessages(page).count(), { timeout: 10_000 }).toBe(1);
    expect(await mine.last().textContent()).toContain('@库存领航 A-1001还有多少');
    expect(await titleOf(botMessages(page).first())).toBe('螺丝M6 A-1001');
  }, 60_000);

  it('fits a phone: persona, chats, messages and composer without sideways scrolling', async () => {
    const phone = await openConsole({ width: 390, height: 780 });
    await asPersona(phone, 'KEEP');
    await expect.poll(() => botMessages(phone).count()).toBeGreaterThan(0); // KEEP's earlier conversation
    for (const id of ['persona-select', 'chat-list', 'message-list', 'composer-input', 'composer-send']) {
      expect(await phone.getByTestId(id).isVisible(), id).toBe(true);
    }
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.context().close();
  }, 60_000);
});
