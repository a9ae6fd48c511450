import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { productOnPhones, screenshot } from './support/browser.ts';
import type { ChatApp } from './support/chat.ts';

/**
 * The import/export page in a real browser at a phone's size, as the
 * warehouse manager: template, a preview that lists the one bad row and
 * writes nothing, an import followed to the end, and an export read back.
 */
let db: Database;
let app: ChatApp;
let dir: string;
const { phoneOf } = productOnPhones(async (product) => {
  ({ db, app } = product);
  dir = mkdtempSync(path.join(tmpdir(), 'stockpilot-import-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const HEADER = ['编码', '名称', '单位', '安全库存'];
const GOOD_ROWS = 1500;

/** A workbook as someone would fill it in, saved where the file picker can find it. */
async function workbookFile(name: string, rows: unknown[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('物料');
  for (const r of [HEADER, ...rows]) ws.addRow(r);
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

async function sheetOf(file: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const rows: unknown[][] = [];
  wb.worksheets[0]?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** Clicks and waits for the file the click downloads; its name and its rows. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; rows: unknown[][] }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const saved = await file.path();
  return { name: file.suggestedFilename(), rows: await sheetOf(saved) };
}

const imported = async () =>
  (await db.sql<{ n: number }[]>`select count(*)::int as n from items where company_id = ${app.co.admin.companyId} and code like 'IMP-%'`)[0]?.n;

async function openImportPage(shot?: string): Promise<Page> {
  const page = await phoneOf('WM');
  if (shot) await screenshot(page, shot);
  await page.getByText('导入导出', { exact: true }).click();
  await page.waitForURL(/#\/import$/);
  return page;
}

describe('the import/export page on a phone', () => {
  it('offers the warehouse manager items and opening stock, not employees, and downloads the items template', async () => {
    const page = await openImportPage('import-00-home');
    await expect.poll(() => page.getByText('期初库存', { exact: true }).count()).toBe(1);
    expect(await page.getByText('员工', { exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '导出员工' }).count()).toBe(0);
    const template = await downloaded(page, () => page.getByRole('button', { name: '下载模板' }).click());
    expect(template.name).toMatch(/\.xlsx$/);
    expect(template.rows[0]?.slice(0, 2)).toEqual(['编码', '名称']);
    await screenshot(page, 'import-01-start');
    await page.context().close();
  });

  it('lists exactly the bad row and its column, offers no import, and writes nothing', async () => {
    const page = await openImportPage();
    const file = await workbookFile('bad.xlsx', [
      ['IMP-0001', '导入测试垫片', '个', '10'],
      ['IMP-0002', '导入测试弹簧', '个', '很多'],
      ['IMP-0003', '导入测试胶带', '卷', ''],
    ]);
    await page.locator('input[type=file]').setInputFiles(file);
    await expect.poll(() => page.locator('[data-error-row]').count()).toBe(1);
    const bad = page.locator('[data-error-row]');
    expect(await bad.getAttribute('data-error-row')).toBe('3');
    expect(await bad.textContent()).toContain('第 3 行 · 安全库存');
    expect(await page.getByText('共 3 行').count()).toBe(1);
    expect(await page.getByText('有效 2 行').count()).toBe(1);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('未导入任何数据');
    // The rows as read, so a misread column would show before anything is written.
    expect(await page.locator('table tbody tr').count()).toBe(3);
    expect(await page.getByRole('button', { name: /导入全部/ }).count()).toBe(0);
    expect(await imported()).toBe(0);
    await screenshot(page, 'import-02-errors');
    await page.context().close();
  });

  it('draws a long error list a page at a time and says how many are not listed', async () => {
    const page = await openImportPage();
    const rows = Array.from({ length: 1100 }, (_, i) => [`IMP-X${i}`, `坏行 ${i}`, '个', 'x']);
    await page.locator('input[type=file]').setInputFiles(await workbookFile('many-bad.xlsx', rows));
    await expect.poll(() => page.getByText('错误 1,100 处').count()).toBe(1);
    expect(await page.locator('[data-error-row]').count()).toBe(50);
    await page.getByRole('button', { name: '再显示 50 条' }).click();
    expect(await page.locator('[data-error-row]').count()).toBe(100);
    // The server lists 1000; the other 100 are counted, not drawn.
    expect(await page.getByText('另有 100 处错误未列出').count()).toBe(1);
    expect(await imported()).toBe(0);
    await page.context().close();
  });

  it('imports every row with the progress bar to the end; the items are searchable and in the export', { timeout: 90_000 }, async () => {
    const page = await openImportPage();
    const rows = Array.from({ length: GOOD_ROWS }, (_, i) => {
      const n = String(i + 1).padStart(4, '0');
      return [`IMP-${n}`, i === 0 ? '导入测试垫片' : `导入物料 ${n}`, '个', String(i % 50)];
    });
    await page.locator('input[type=file]').setInputFiles(await workbookFile('good.xlsx', rows));
    const commit = page.getByRole('button', { name: '导入全部 1,500 行' });
    await commit.waitFor();
    expect(await page.getByText('错误 0 处').count()).toBe(1);
    await screenshot(page, 'import-03-ready');
    expect(await imported()).toBe(0);
    await commit.click();
    const bar = page.getByRole('progressbar');
    await expect.poll(() => bar.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    // The bar drawn full, not only its number: the fill spans the track once its animation ends.
    const span = async () => {
      const [fill, track] = await Promise.all([bar.locator('.adm-progress-bar-fill').boundingBox(), bar.locator('.adm-progress-bar-trail').boundingBox()]);
      return Math.round(((fill?.width ?? 0) / (track?.width ?? 1)) * 100);
    };
    await expect.poll(span).toBe(100);
    expect(await page.getByText('导入完成：1,500 行').count()).toBe(1);
    expect(await imported()).toBe(GOOD_ROWS);
    await screenshot(page, 'import-04-done');

    const items = await downloaded(page, () => page.getByRole('button', { name: '导出物料' }).click());
    expect(items.name).toMatch(/\.xlsx$/);
    const codes = items.rows.map((r) => r[0]);
    expect(codes).toContain('IMP-0001');
    expect(codes).toContain(`IMP-${GOOD_ROWS}`);
    expect(codes).toContain('A-1001');

    // The ledger of the default range (this month): the opening receipts are in it.
    const ledger = await downloaded(page, () => page.getByRole('button', { name: '导出出入库流水' }).click());
    expect(ledger.name).toMatch(/\.xlsx$/);
    expect(ledger.rows.some((r) => r.includes('A-1001'))).toBe(true);

    await page.goto(`${app.base}/app/#/`);
    await page.getByRole('searchbox').fill('导入测试垫片');
    await expect.poll(() => page.getByText('IMP-0001').count()).toBeGreaterThan(0);
    await screenshot(page, 'import-06-search');
    await page.context().close();
  });
});
