import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { productOnPhones, screenshot } from './support/browser.ts';
import type { ChatApp } from './support/chat.ts';

/**
 * 盘点 on a phone, in a real browser against the real server, database and
 * Temporal: the keeper counts 上海仓 (500 of 螺丝M6, 80 of 螺丝M8, 40 of
 * 六角螺栓 on the book), submits the variance, the manager approves it, and
 * the book follows the count. Screenshots go to test-artifacts/miniapp.
 */
let db: Database;
let app: ChatApp;
const { phoneOf } = productOnPhones(async (product) => {
  ({ db, app } = product);
  await app.co.policy({ requestType: 'stocktake', name: '盘点差异', steps: [{ name: '仓库主管', mode: 'any', approvers: [{ kind: 'employee', employee: 'WM' }] }] });
});

const text = (page: Page, selector: string) => page.locator(selector).first().textContent();

async function record(page: Page, item: string, qty: string) {
  await page.getByRole('textbox', { name: '物料' }).fill(item);
  await page.getByRole('textbox', { name: '数量' }).fill(qty);
  await page.getByRole('button', { name: '记录', exact: true }).click();
}

describe('盘点 on a phone', () => {
  let stocktakeUrl = '';
  let requestUrl = '';

  it('the keeper counts 上海仓 by typing, sees every problem at once, then the variance, and submits it', { timeout: 90_000 }, async () => {
    const keeper = await phoneOf('KEEP');
    await keeper.getByText('盘点', { exact: true }).click();
    await keeper.getByRole('button', { name: '开始盘点' }).waitFor();
    // KEEP works in 上海仓 only: it is the one warehouse offered, and its storage locations are offered to narrow the count.
    const formRow = (label: string) => keeper.locator('.adm-form-item').filter({ has: keeper.locator('.adm-form-item-label', { hasText: label }) });
    await expect.poll(() => formRow('仓库').getByRole('option').allTextContents()).toEqual(['上海仓']);
    await expect.poll(() => formRow('库位').getByRole('option').allTextContents()).toEqual(['A-01 A区01', 'DEFAULT 默认库位']);
    await keeper.locator('#stocktake-note').fill('月末盘点');
    await screenshot(keeper, 'stocktake-01-new');
    await keeper.getByRole('button', { name: '开始盘点' }).click();
    await keeper.waitForURL(/#\/stocktakes\/\d+$/);
    stocktakeUrl = keeper.url();
    await expect.poll(() => text(keeper, '[data-summary]')).toContain('已盘 0/3 行');

    // By barcode: 500 first, then a recount that sets the spot to 498.
    await record(keeper, '6901234567001', '500');
    await expect.poll(() => text(keeper, '[data-last-count]')).toMatch(/螺丝M6.*已盘\s*500/);
    await keeper.getByRole('option', { name: '覆盖' }).click();
    await record(keeper, '6901234567001', '498');
    await expect.poll(() => text(keeper, '[data-last-count]')).toMatch(/已盘\s*498/);
    await keeper.getByRole('option', { name: '累加' }).click();

    // The answer to the first tap is lost on the way back: the second tap resends the same entry, and 80 stays 80.
    let lost = false;
    await keeper.route('**/app/api/stocktakes/*/counts', async (route) => {
      if (lost) return route.continue();
      lost = true;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await record(keeper, 'A-1002', '80');
    await expect.poll(() => keeper.getByRole('alert').textContent()).toContain('同一笔不会重复计数');
    await keeper.getByRole('button', { name: '记录', exact: true }).click();
    await expect.poll(() => text(keeper, '[data-last-count]')).toMatch(/螺丝M8.*已盘\s*80(?!\d)/);
    await expect.poll(() => text(keeper, '[data-last-count]')).toContain('没有重复计数');
    await keeper.unroute('**/app/api/stocktakes/*/counts');
    await expect.poll(() => text(keeper, '[data-summary]')).toContain('已盘 2/3 行');
    await screenshot(keeper, 'stocktake-02-count');

    await keeper.getByText(/^明细 2\/3$/).click();
    await expect.poll(() => text(keeper, '[data-line="A-1001"]')).toMatch(/498.*账面 500/);
    await expect.poll(() => text(keeper, '[data-line="B-2001"]')).toMatch(/未盘.*账面 40/);
    await screenshot(keeper, 'stocktake-03-lines');

    // Submitting with 六角螺栓 uncounted is refused, and the refusal says where.
    await keeper.getByText('盘盈盘亏', { exact: true }).click();
    await expect.poll(() => text(keeper, '[data-variance="A-1001"]')).toContain('盘亏 2');
    await keeper.getByRole('button', { name: '提交审批' }).click();
    const alert = keeper.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('请修改以下问题');
    // In the keeper's language, down to each problem.
    await expect.poll(() => alert.textContent()).toMatch(/lines\[\d\]\.qty.*B-2001.*未盘点/);
    await expect.poll(() => text(keeper, '[data-variance="B-2001"]')).toContain('未盘点');
    await screenshot(keeper, 'stocktake-04-problems');

    await keeper.getByRole('switch', { name: '未盘按 0 计' }).click();
    await expect.poll(() => text(keeper, '[data-variance="B-2001"]')).toContain('盘亏 40');
    await expect.poll(() => text(keeper, '[data-variance="A-1001"]')).toContain('盘亏 2');
    await expect.poll(() => text(keeper, '[data-variance="A-1002"]')).toContain('相符');
    // A keeper does not see cost: no amounts in the report.
    await expect.poll(() => text(keeper, '[data-totals]')).toContain('2 行');
    expect(await keeper.getByText(/¥/).count()).toBe(0);
    await screenshot(keeper, 'stocktake-05-variance');

    await keeper.getByRole('button', { name: '提交审批' }).click();
    await expect.poll(() => text(keeper, '[data-request-link]'), { timeout: 15_000 }).toMatch(/审批单 \S+.*审批中/);
    await expect.poll(() => keeper.getByRole('button', { name: '提交审批' }).count()).toBe(0);
    await screenshot(keeper, 'stocktake-06-submitted');
    await keeper.locator('[data-request-link]').click();
    await keeper.waitForURL(/#\/requests\/\d+$/);
    requestUrl = keeper.url();
    await expect.poll(() => keeper.getByText(/盘点差异 · /).count()).toBe(1);
    await expect.poll(() => keeper.getByText('审批中').count()).toBeGreaterThan(0);
    await screenshot(keeper, 'stocktake-07-request');
    await keeper.context().close();
  });

  it('the manager sees the loss in money, approves it on their phone, and the book shows the count', { timeout: 90_000 }, async () => {
    const manager = await phoneOf('WM');
    await manager.goto(stocktakeUrl);
    await expect.poll(() => text(manager, '[data-variance="A-1001"]')).toMatch(/盘亏 2.*-¥0\.24/);
    // 盘亏 2 × ¥0.12 + 40 × ¥0.80 as submitted (the uncounted line went in as counted 0), nothing gained.
    await expect.poll(() => text(manager, '[data-totals]')).toMatch(/盘亏金额¥32\.24.*净差额-¥32\.24/);
    await screenshot(manager, 'stocktake-08-manager-variance');
    await manager.goto(requestUrl);
    await expect.poll(() => manager.getByText(/32\.24/).count()).toBeGreaterThan(0);
    await manager.getByRole('button', { name: '同意' }).click();
    await expect.poll(() => manager.getByText(/已通过|已完成/).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await screenshot(manager, 'stocktake-09-approved');
    await manager.context().close();

    const keeper = await phoneOf('KEEP');
    await keeper.goto(`${app.base}/app/#/items/A-1001`);
    await expect.poll(async () => (await keeper.reload(), await text(keeper, '[data-figure="onHand"]')), { timeout: 20_000, interval: 1_000 }).toContain('498');
    await keeper.context().close();
  });

  it('a blind count hides the book from the keeper, and can be cancelled', { timeout: 60_000 }, async () => {
    const keeper = await phoneOf('KEEP');
    await keeper.goto(`${app.base}/app/#/stocktakes`);
    await keeper.getByRole('switch', { name: '盲盘' }).click();
    await keeper.getByRole('button', { name: '开始盘点' }).click();
    await keeper.waitForURL(/#\/stocktakes\/\d+$/);
    await expect.poll(() => keeper.getByText('盲盘：提交前不显示账面数量与差异').count()).toBe(1);
    await record(keeper, 'A-1001', '7');
    await expect.poll(() => text(keeper, '[data-last-count]')).toMatch(/已盘\s*7/);
    await keeper.getByText(/^明细 1\/\d+$/).click();
    await expect.poll(() => text(keeper, '[data-line="A-1001"]')).toContain('7');
    expect(await keeper.locator('[data-line]', { hasText: '账面' }).count()).toBe(0);
    await keeper.getByText('盘盈盘亏', { exact: true }).click();
    await expect.poll(() => text(keeper, '[data-variance="A-1001"]')).not.toMatch(/盘亏|盘盈/);
    await screenshot(keeper, 'stocktake-10-blind');

    await keeper.getByRole('button', { name: '取消盘点' }).click();
    await keeper.getByRole('dialog').getByRole('button', { name: '取消盘点' }).click();
    await expect.poll(() => keeper.getByText('已取消').count()).toBeGreaterThan(0);
    await keeper.goto(`${app.base}/app/#/stocktakes`);
    await keeper.getByText('已取消', { exact: true }).click();
    await expect.poll(() => keeper.locator('[data-stocktake]').count()).toBe(1);
    await screenshot(keeper, 'stocktake-11-list');
    await keeper.context().close();
  });
});
