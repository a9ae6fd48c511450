import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { rollUpThrough } from '../inventory/reports/snapshot.ts';
import { addDays, todayIn } from '../inventory/today.ts';
import { ean13, writeBarcodeVideo } from './support/barcode-video.ts';
import { launchChromium, miniappPhone, productOnPhones, screenshot } from './support/browser.ts';
import type { ChatApp } from './support/chat.ts';
import { idem, item } from './support/fixtures.ts';

/**
 * The built mini-app in a real browser at a phone's size: Debian's Chromium
 * driven by playwright-core, served by the real server on a real database
 * and Temporal. Screenshots of each page go to test-artifacts/miniapp.
 */
/** The label the fake camera shows (a valid EAN-13: the phone's scanner checks the check digit). */
const CAMERA_BARCODE = ean13('690123456789');

let db: Database;
let app: ChatApp;
const { phoneOf } = productOnPhones(async (product) => {
  ({ db, app } = product);
  await item(db, app.co.admin, { code: 'C-4001', name: '扎带', unit: '包', barcode: CAMERA_BARCODE });
  await item(db, app.co.admin, { code: 'G-3001', name: '密封胶', unit: '支', unitCost: '12', tracking: 'batch', shelfLifeDays: 365 });
  await app.co.policy({ requestType: 'purchase', name: '采购审批', steps: [{ name: '仓库主管', mode: 'any', approvers: [{ kind: 'employee', employee: 'WM' }] }] });
  // History for the dashboard: closed days with movements, rolled up as the nightly job does.
  const today = todayIn(app.co.admin.timezone);
  const daysAgo = (n: number) => new Date(`${addDays(today, -n)}T12:00:00+08:00`);
  await postMovement(db, app.co.admin, { type: 'receipt', warehouse: 'SZ', lines: [{ item: 'B-2001', qty: 200 }], idempotencyKey: idem() }, { postedAt: daysAgo(20) });
  await postMovement(db, app.co.admin, { type: 'issue', warehouse: 'SZ', lines: [{ item: 'B-2001', qty: 60 }], idempotencyKey: idem() }, { postedAt: daysAgo(4) });
  await rollUpThrough(db, app.co.admin.companyId, addDays(today, -1));
});

const shot = screenshot;

describe('the mini-app on a phone', () => {
  it('scans a label with the camera outside a messenger and opens its item', async () => {
    const video = writeBarcodeVideo(path.join(mkdtempSync(path.join(os.tmpdir(), 'sp-cam-')), 'label.y4m'), CAMERA_BARCODE);
    const withCamera = await launchChromium({ fakeCamera: video });
    try {
      const keeper = await miniappPhone(withCamera, app.base, 'KEEP');
      await keeper.getByRole('button', { name: '扫码' }).click();
      await keeper.waitForURL(/#\/items\/C-4001$/, { timeout: 15_000 });
      await expect.poll(() => keeper.getByText('扎带').count()).toBeGreaterThan(0);
      await shot(keeper, '00-scanned');
    } finally {
      await withCamera.close();
    }
  });

  let requestUrl = '';

  it('signs in, finds an item by pinyin initials and opens it: only the keeper’s warehouse, with its chart', async () => {
    const keeper = await phoneOf('KEEP');
    await shot(keeper, '01-home');
    await keeper.getByRole('searchbox').fill('lsm6');
    await keeper.getByText('螺丝M6').click();
    await expect.poll(() => keeper.locator('[data-figure="onHand"]').textContent()).toContain('500');
    // KEEP works in 上海仓 only: 苏州仓's 120 are neither listed nor counted.
    await expect.poll(() => keeper.getByText('苏州仓').count()).toBe(0);
    await expect.poll(() => keeper.getByText('上海仓').count()).toBeGreaterThan(0);
    await expect.poll(() => keeper.locator('[data-chart] [data-rendered]').count().then(() => keeper.locator('[data-rendered="true"]').count())).toBe(1);
    await shot(keeper, '02-item');
    await keeper.context().close();
  });

  it('submits an outbound request from the item page, which the approver approves on their phone', { timeout: 60_000 }, async () => {
    const keeper = await phoneOf('KEEP');
    await keeper.goto(`${app.base}/app/#/items/A-1001`);
    await keeper.getByRole('button', { name: '申请出库' }).click();
    await expect.poll(() => keeper.locator('[data-line="A-1001"]').count()).toBe(1);
    await expect.poll(() => keeper.locator('[data-line="A-1001"]').textContent()).toContain('本仓可用 500');
    const qty = keeper.locator('[data-line="A-1001"] input');
    await qty.fill('600');
    await qty.blur();
    await expect.poll(() => keeper.locator('[data-line="A-1001"]').textContent()).toContain('超出可用数量 500');
    await expect(keeper.getByRole('button', { name: '提交申请' }).isDisabled()).resolves.toBe(true);
    await qty.fill('5');
    await qty.blur();
    await shot(keeper, '03-new-request');
    await keeper.getByRole('button', { name: '提交申请' }).click();
    await keeper.waitForURL(/#\/requests\/\d+$/);
    requestUrl = keeper.url();
    await expect.poll(() => keeper.getByText('审批中').count()).toBeGreaterThan(0);
    await shot(keeper, '04-request');

    const manager = await phoneOf('WM');
    await manager.getByText('审批', { exact: true }).click();
    await expect.poll(() => manager.getByText(/出库申请 /).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await shot(manager, '05-approvals');
    await manager.getByText(/出库申请 /).first().click();
    // As on the approval card: the stock as it is now beside the line (500 on hand, 5 held for this request).
    await expect.poll(() => manager.locator('[data-line="A-1001"]').textContent()).toContain('当前库存 495');
    await manager.getByRole('textbox').fill('同意，注意包装');
    await manager.getByRole('button', { name: '同意' }).click();
    await expect.poll(() => manager.getByText('已通过').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await shot(manager, '06-approved');
    await manager.context().close();

    // The keeper's page shows the decision after a reload.
    await keeper.reload();
    await expect.poll(() => keeper.getByText('已通过').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await keeper.context().close();
  });

  it('ships the approved request step by step from the warehouse tab', { timeout: 60_000 }, async () => {
    const keeper = await phoneOf('KEEP');
    await keeper.getByText('仓库', { exact: true }).click();
    await keeper.getByText(/出库申请 /).first().click();
    for (const stage of ['接单', '拣货', '复核', '发货']) {
      await keeper.getByRole('button', { name: `确认${stage}` }).click();
      await expect.poll(() => keeper.getByText(`${stage}已确认`).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    }
    await expect.poll(() => keeper.getByText('已完成').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await shot(keeper, '07-shipped');
    expect(keeper.url()).toBe(requestUrl);
    await keeper.goto(`${app.base}/app/#/items/A-1001`);
    await expect.poll(() => keeper.locator('[data-figure="onHand"]').textContent()).toContain('495');
    await keeper.context().close();
  });

  it('delegates an approval to a colleague found by name, who then decides it', { timeout: 60_000 }, async () => {
    const keeper = await phoneOf('KEEP');
    await keeper.goto(`${app.base}/app/#/requests/new?type=outbound&item=A-1002`);
    await expect.poll(() => keeper.locator('[data-line="A-1002"]').count()).toBe(1);
    await keeper.getByRole('button', { name: '提交申请' }).click();
    await keeper.waitForURL(/#\/requests\/\d+$/);
    const url = keeper.url();
    await keeper.context().close();

    const manager = await phoneOf('WM');
    await manager.goto(url);
    await manager.getByRole('button', { name: '转办' }).click();
    await manager.getByPlaceholder('姓名或工号').fill('总监');
    await manager.locator('.adm-popup .adm-list-item').filter({ hasText: '总监' }).click();
    await manager.getByRole('button', { name: '确定' }).click();
    await expect.poll(() => manager.getByText('已转办给 总监').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await manager.context().close();

    const director = await phoneOf('DIR');
    await director.goto(url);
    await director.getByRole('button', { name: '同意' }).click();
    await expect.poll(() => director.getByText('已通过').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await shot(director, '07b-delegated-approved');
    await director.context().close();
  });

  it('receives a purchase partly, into a named batch', { timeout: 60_000 }, async () => {
    const keeper = await phoneOf('KEEP');
    await keeper.goto(`${app.base}/app/#/requests/new?type=purchase&item=G-3001`);
    await expect.poll(() => keeper.locator('[data-line="G-3001"]').count()).toBe(1);
    await keeper.locator('[data-line="G-3001"] input').fill('20');
    await keeper.getByRole('button', { name: '提交申请' }).click();
    await keeper.waitForURL(/#\/requests\/\d+$/);
    const url = keeper.url();

    const manager = await phoneOf('WM');
    await manager.goto(url);
    await manager.getByRole('button', { name: '同意' }).click();
    await expect.poll(() => manager.getByText('已通过').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await manager.context().close();

    await keeper.reload();
    await keeper.getByRole('textbox', { name: '本次实收 G-3001' }).fill('12');
    await keeper.getByRole('textbox', { name: '批次号 G-3001' }).fill('LOT-2611');
    await keeper.getByRole('textbox', { name: '有效期至 G-3001' }).fill('2027-11-30');
    await shot(keeper, '08-receive');
    await keeper.getByRole('button', { name: '确认收货' }).click();
    await expect.poll(() => keeper.getByText('部分收货').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await keeper.goto(`${app.base}/app/#/items/G-3001`);
    await expect.poll(() => keeper.locator('[data-figure="onHand"]').textContent()).toContain('12');
    await expect.poll(() => keeper.getByText(/LOT-2611/).count()).toBeGreaterThan(0);
    await keeper.context().close();
  });

  it('draws the dashboard’s charts for a manager, in English too', async () => {
    const manager = await phoneOf('WM');
    await manager.goto(`${app.base}/app/#/dashboard`);
    await expect.poll(() => manager.locator('[data-rendered="true"]').count(), { timeout: 15_000 }).toBe(5);
    await expect.poll(() => manager.locator('canvas').count()).toBe(5);
    // 140 of 六角螺栓 at 0.8 in 苏州仓 at the close of yesterday.
    await expect.poll(() => manager.getByText('¥112.00').count()).toBeGreaterThan(0);
    await shot(manager, '09-dashboard');
    await manager.goto(`${app.base}/app/#/more`);
    await manager.getByText('English').click();
    await manager.goto(`${app.base}/app/#/dashboard`);
    await expect.poll(() => manager.getByText('Stock value by warehouse').count()).toBe(1);
    await shot(manager, '10-dashboard-en');
    await manager.context().close();
  });
});
