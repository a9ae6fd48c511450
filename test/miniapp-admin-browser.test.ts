import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { createEmployee } from '../inventory/master/employees.ts';
import { productOnPhones, screenshot, slowPhone } from './support/browser.ts';
import type { ChatApp } from './support/chat.ts';

/**
 * A company admin sets things up from a phone: the built mini-app in
 * Debian's Chromium at iPhone size, on the real server and database.
 * Screenshots go to test-artifacts/miniapp/admin-*.png.
 */
let db: Database;
let app: ChatApp;
const { phoneOf } = productOnPhones(async (product) => {
  ({ db, app } = product);
  await createEmployee(db, app.co.admin, { code: 'ADM', name: '系统管理员', roles: ['admin'], department: '信息部' });
});

/** The input of the form row whose label starts with `label`, inside the open sheet. */
const field = (page: Page, label: string, within = '[data-form]') =>
  page.locator(`${within} .adm-form-item`).filter({ has: page.locator('.adm-form-item-label', { hasText: new RegExp(`^${label}`) }) }).locator('input').first();

/** A menu entry by its title (its description is part of the same element). */
const menuItem = (page: Page, title: string) => page.locator('.adm-list-item-content-main').filter({ hasText: new RegExp(`^${title}`) });

/** After a save: the sheet has closed and the toast has gone, so a screenshot shows the page. */
async function settled(page: Page) {
  await page.locator('[data-form]').waitFor({ state: 'detached' });
  await page.locator('.adm-toast-mask').waitFor({ state: 'detached', timeout: 5_000 });
}

async function openSection(page: Page, name: string) {
  await page.getByText('更多', { exact: true }).click();
  await page.getByText('管理', { exact: true }).click();
  await menuItem(page, name).click();
}

describe('the admin area on a phone', () => {
  it('is offered to an admin and not to a keeper', async () => {
    const keeper = await phoneOf('KEEP');
    await keeper.getByText('更多', { exact: true }).click();
    await expect.poll(() => keeper.getByText('退出登录').count()).toBe(1);
    expect(await keeper.getByText('管理', { exact: true }).count()).toBe(0);
    await keeper.context().close();

    const admin = await phoneOf('ADM');
    await admin.getByText('更多', { exact: true }).click();
    await admin.getByText('管理', { exact: true }).click();
    for (const section of ['物料', '仓库与库位', '员工与账号绑定', '审批流', '预警阈值', '群订阅']) {
      await expect.poll(() => menuItem(admin, section).count()).toBe(1);
    }
    await screenshot(admin, 'admin-01-menu');
    await admin.context().close();
  });

  it('creates an item, first showing every problem the server found and saving nothing', async () => {
    const page = await phoneOf('ADM');
    await openSection(page, '物料');
    await expect.poll(() => page.locator('[data-item="A-1001"]').count()).toBe(1);
    await page.getByRole('button', { name: '新建' }).click();
    await field(page, '编码').fill('has space');
    await field(page, '保质期').fill('abc');
    await page.getByRole('button', { name: '创建' }).click();
    const alert = page.locator('[data-form] [role="alert"]');
    await expect.poll(() => alert.textContent()).toContain('未做任何更改');
    // code, name, unit and shelf life, all at once.
    expect(await alert.locator('li code').allTextContents()).toEqual(expect.arrayContaining(['code', 'name', 'unit', 'shelfLifeDays']));
    await screenshot(page, 'admin-02-item-errors');
    expect((await db.sql`select 1 from items where company_id = ${app.co.admin.companyId} and code = 'has space'`).length).toBe(0);

    await field(page, '编码').fill('C-3001');
    await field(page, '名称').fill('包装胶带');
    await field(page, '基本单位').fill('卷');
    await field(page, '规格').fill('48mm×100m');
    await field(page, '分类').fill('包材');
    await field(page, '保质期').fill('');
    await field(page, '安全库存').fill('20');
    await page.locator('[data-form] input[placeholder="箱"]').fill('箱');
    await page.locator('[data-form] input[placeholder="换算数量"]').fill('36');
    await screenshot(page, 'admin-03-item-form');
    await page.getByRole('button', { name: '创建' }).click();
    await expect.poll(() => page.locator('[data-item="C-3001"]').count()).toBe(1);
    expect(await page.locator('[data-item="C-3001"]').textContent()).toContain('包装胶带');
    await settled(page);
    await screenshot(page, 'admin-04-item-created');
    const [row] = await db.sql<{ name: string; safety_stock: string }[]>`select name, safety_stock::text from items where company_id = ${app.co.admin.companyId} and code = 'C-3001'`;
    expect(row).toMatchObject({ name: '包装胶带' });
    expect(Number(row!.safety_stock)).toBe(20);
    await page.context().close();
  });

  it('creates a warehouse with two locations', async () => {
    const page = await phoneOf('ADM');
    await openSection(page, '仓库与库位');
    await expect.poll(() => page.locator('[data-warehouse="SH"]').count()).toBe(1);
    await page.getByRole('button', { name: '新建' }).click();
    await field(page, '编码').fill('BJ');
    await field(page, '名称').fill('北京仓');
    await field(page, '别名').fill('北京，京仓');
    await page.locator('[data-location-row="0"] input').nth(0).fill('A-01');
    await page.locator('[data-location-row="0"] input').nth(1).fill('A区01');
    await page.getByRole('button', { name: '添加库位' }).click();
    await page.locator('[data-location-row="1"] input').nth(0).fill('B-02');
    await page.locator('[data-location-row="1"] input').nth(1).fill('B区02');
    await screenshot(page, 'admin-05-warehouse-form');
    await page.getByRole('button', { name: '创建' }).click();
    const bj = page.locator('[data-warehouse="BJ"]');
    await expect.poll(() => bj.count()).toBe(1);
    const text = await bj.textContent();
    for (const part of ['北京仓', '京仓', 'DEFAULT', 'TRANSIT', 'A-01', 'A区01', 'B-02', 'B区02']) expect(text).toContain(part);
    await settled(page);
    await screenshot(page, 'admin-06-warehouses');
    await page.context().close();
  });

  it('binds the keeper’s Feishu open_id, and refuses one already bound to someone else', async () => {
    await db.sql`update employees set feishu_open_id = 'ou_taken' where company_id = ${app.co.admin.companyId} and code = 'WM'`;
    const page = await phoneOf('ADM');
    await openSection(page, '员工与账号绑定');
    await page.locator('[data-employee="KEEP"]').click();
    const openId = field(page, '飞书 open_id');
    await openId.fill('ou_taken');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('[data-form="bindings"] [role="alert"]').textContent()).toContain('ou_taken');
    await screenshot(page, 'admin-07-binding-taken');

    await openId.fill('ou_keeper_1');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('[data-form="bindings"]').count()).toBe(0);
    await expect.poll(() => page.locator('[data-employee="KEEP"]').textContent()).toContain('飞书');
    await settled(page);
    await screenshot(page, 'admin-08-employees');
    const [keep] = await db.sql<{ feishu_open_id: string | null }[]>`select feishu_open_id from employees where company_id = ${app.co.admin.companyId} and code = 'KEEP'`;
    expect(keep?.feishu_open_id).toBe('ou_keeper_1');
    await page.context().close();
  });

  it('corrects an item’s safety stock, first showing the problem, and deactivates an employee', async () => {
    const page = await phoneOf('ADM');
    await openSection(page, '物料');
    await page.locator('[data-item="A-1001"]').click();
    const sheet = '[data-form="edit-item"]';
    const safety = field(page, '安全库存', sheet);
    await expect.poll(() => safety.inputValue()).toBe('100');
    await safety.fill('很多');
    await page.locator(sheet).getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator(`${sheet} [role="alert"]`).textContent()).toContain('safetyStock');
    await screenshot(page, 'admin-11-item-edit-error');
    const safetyOf = async () => Number((await db.sql<{ s: string }[]>`select safety_stock::text as s from items where company_id = ${app.co.admin.companyId} and code = 'A-1001'`)[0]!.s);
    expect(await safetyOf()).toBe(100);

    await safety.fill('250');
    await page.locator(sheet).getByRole('button', { name: '保存' }).click();
    await settled(page);
    expect(await safetyOf()).toBe(250);
    // Opened again, the sheet shows what was saved.
    await page.locator('[data-item="A-1001"]').click();
    await expect.poll(() => field(page, '安全库存', sheet).inputValue()).toBe('250');
    await page.locator(sheet).getByRole('button', { name: '取消' }).click();
    await page.context().close();

    const phone = await phoneOf('ADM');
    await openSection(phone, '员工与账号绑定');
    await phone.locator('[data-employee="SALES"]').click();
    await phone.getByRole('button', { name: '修改资料' }).click();
    const edit = '[data-form="edit-employee"]';
    const active = phone.locator(`${edit} .adm-form-item`).filter({ has: phone.locator('.adm-form-item-label', { hasText: /^启用/ }) }).locator('[role="switch"]');
    await expect.poll(() => active.getAttribute('aria-checked')).toBe('true');
    await active.click();
    await screenshot(phone, 'admin-12-employee-edit');
    await phone.locator(edit).getByRole('button', { name: '保存' }).click();
    await expect.poll(() => phone.locator('[data-employee="SALES"]').textContent()).toContain('已停用');
    await settled(phone);
    await screenshot(phone, 'admin-13-employee-deactivated');
    const [sales] = await db.sql<{ active: boolean }[]>`select active from employees where company_id = ${app.co.admin.companyId} and code = 'SALES'`;
    expect(sales?.active).toBe(false);
    await phone.context().close();
  });

  it('shows the approval policies with their steps, and the editor for one', async () => {
    const page = await phoneOf('ADM');
    await openSection(page, '审批流');
    const outbound = page.locator('[data-policy-type="outbound"]');
    await expect.poll(() => outbound.textContent()).toContain('出库审批');
    expect(await outbound.textContent()).toContain('仓库主管');
    await screenshot(page, 'admin-09-policies');
    await outbound.getByText('出库审批').click();
    await page.getByRole('button', { name: '添加步骤' }).click();
    await page.locator('[data-step="1"] input').first().fill('财务复核');
    await page.locator('[data-step="1"] [data-approver="0"]').getByText('角色', { exact: true }).click();
    await page.locator('[data-step="1"] [data-approver="0"]').getByText('财务', { exact: true }).click();
    await page.locator('[data-step="1"] input[placeholder="总是"]').fill('5000');
    await page.locator('[data-step="1"] input[placeholder="多久后催办"]').fill('4h');
    await page.locator('[data-step="1"] input[placeholder="多久后升级"]').fill('2h');
    // Saved on a slow phone: a scroll timed by the next frame instead of by React's render left the problems under the fold there.
    await slowPhone(page);
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await expect.poll(() => page.locator('[data-form="policy"] [role="alert"]').textContent()).toContain('steps[1]');
    // The problems are scrolled into view, not left under the fold below the steps.
    const height = page.viewportSize()?.height ?? 0;
    await expect.poll(() => page.locator('[data-form="policy"] [role="alert"]').boundingBox().then((b) => b !== null && b.y >= 0 && b.y + b.height <= height)).toBe(true);
    await screenshot(page, 'admin-10-policy-editor');
    await page.locator('[data-step="1"] input[placeholder="多久后升级"]').fill('');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await expect.poll(() => outbound.textContent()).toContain('v2');
    expect(await outbound.textContent()).toContain('财务复核');
    await page.context().close();
  });
});
