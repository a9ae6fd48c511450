import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { Hono } from 'hono';
import { NotFoundError, ValidationError, type Locale } from '../../../inventory/errors.ts';
import { headerOf } from '../../../inventory/imports/columns.ts';
import {
  EMPLOYEE_EXPORT_COLUMNS,
  employeeExportRows,
  EXPORT_LISTS,
  ITEM_EXPORT_COLUMNS,
  itemExportRows,
  LEDGER_EXPORT_COLUMNS,
  ledgerExportQuerySchema,
  ledgerExportRows,
  SHEET_NAMES,
  STOCK_EXPORT_COLUMNS,
  stockExportRows,
  type Cell,
  type ExportColumn,
  type ExportList,
} from '../../../inventory/imports/export-lists.ts';
import { canSeeCost } from '../../../inventory/people.ts';
import { todayIn } from '../../../inventory/today.ts';
import { parseInput } from '../../../inventory/validate.ts';
import type { MiniDeps, MiniEnv } from '../context.ts';
import { requireRole, visibleWarehouses, warehouseInScope } from '../scope.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A workbook written row by row with exceljs's streaming writer straight into
 * the response: a long ledger is never held in memory. Whatever can be
 * refused (scope, filters) must be checked before this is called.
 */
function xlsxResponse(file: string, sheet: string, columns: readonly ExportColumn[], rows: AsyncIterable<Record<string, Cell>>, locale: Locale): Response {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: headerOf(c, locale), key: c.key, width: c.width ?? 12 }));
  void (async () => {
    for await (const r of rows) ws.addRow(r).commit();
    ws.commit();
    await wb.commit();
  })().catch((err: unknown) => {
    console.error('export failed', file, err);
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  const display = locale === 'en' ? file : `${sheet}-${file.split('-').slice(1).join('-')}`;
  return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, {
    headers: {
      'content-type': XLSX,
      'content-disposition': `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(display)}`,
      'cache-control': 'no-store',
    },
  });
}

/** Exports of lists and the ledger to .xlsx, showing only what the employee may see. */
export function exportRoutes(deps: MiniDeps) {
  return new Hono<MiniEnv>().get('/:file', async (c) => {
    const user = c.get('user');
    const lang = c.req.query('lang');
    const locale: Locale = lang === 'en' ? 'en' : lang === 'zh-CN' ? 'zh-CN' : c.get('locale');
    const match = /^([a-z]+)\.xlsx$/.exec(c.req.param('file'));
    const list = match?.[1] as ExportList | undefined;
    if (!list || !EXPORT_LISTS.includes(list)) throw new NotFoundError('document', c.req.param('file'));
    const seesCost = canSeeCost(user);
    const shown = (cols: readonly ExportColumn[]) => cols.filter((col) => seesCost || !col.cost);
    const today = todayIn(user.timezone);
    const sql = deps.db.sql;
    const respond = (cols: readonly ExportColumn[], rows: AsyncIterable<Record<string, Cell>>, suffix = today) =>
      xlsxResponse(`${list}-${suffix}.xlsx`, SHEET_NAMES[list][locale], cols, rows, locale);

    switch (list) {
      case 'items':
        return respond(shown(ITEM_EXPORT_COLUMNS), itemExportRows(sql, user.companyId, locale));
      case 'employees':
        requireRole(user, ['admin']);
        return respond(EMPLOYEE_EXPORT_COLUMNS, employeeExportRows(sql, user.companyId));
      case 'stock': {
        const scope = user.warehouseScope === null ? null : (await visibleWarehouses(deps, user)).map((w) => w.id);
        return respond(shown(STOCK_EXPORT_COLUMNS), stockExportRows(sql, user.companyId, scope));
      }
      case 'ledger': {
        const q = parseInput(ledgerExportQuerySchema, c.req.query());
        if (q.from && q.to && q.from > q.to) throw new ValidationError([{ path: 'to', message: locale === 'en' ? 'must not be before from' : '结束日期不能早于开始日期' }]);
        const warehouseIds = q.warehouse
          ? [(await warehouseInScope(deps, user, q.warehouse)).id]
          : user.warehouseScope === null
            ? null
            : (await visibleWarehouses(deps, user)).map((w) => w.id);
        let itemId: number | undefined;
        if (q.item) {
          const [i] = await sql<{ id: number }[]>`select id from items where company_id = ${user.companyId} and code = ${q.item}`;
          if (!i) throw new NotFoundError('item', q.item);
          itemId = i.id;
        }
        const rows = ledgerExportRows(sql, user.companyId, { from: q.from, to: q.to, warehouseIds, itemId, timezone: user.timezone });
        return respond(shown(LEDGER_EXPORT_COLUMNS), rows, [q.from, q.to].filter(Boolean).join('_') || today);
      }
    }
  });
}
