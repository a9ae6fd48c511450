import { z } from 'zod';
import type { Sql } from '../../db/client.ts';
import type { Locale } from '../errors.ts';
import type { Column } from './columns.ts';
import { EMPLOYEE_COLUMNS } from './employee-rows.ts';
import { ITEM_COLUMNS } from './item-rows.ts';

export const EXPORT_LISTS = ['items', 'stock', 'employees', 'ledger'] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];

/** An export column: `cost` columns are shown only to roles that see cost. */
export type ExportColumn = Pick<Column, 'key' | 'zh' | 'en'> & { cost?: boolean; width?: number };
export type Cell = string | number | null;

/** Items and employees export in their import columns, so an exported file can be edited and imported elsewhere. */
export const ITEM_EXPORT_COLUMNS: readonly ExportColumn[] = ITEM_COLUMNS.map((c) => ({ ...c, cost: c.key === 'unitCost' }));
export const EMPLOYEE_EXPORT_COLUMNS: readonly ExportColumn[] = EMPLOYEE_COLUMNS;

export const STOCK_EXPORT_COLUMNS: readonly ExportColumn[] = [
  { key: 'warehouse', zh: '仓库编码', en: 'warehouse code' },
  { key: 'warehouseName', zh: '仓库名称', en: 'warehouse name', width: 14 },
  { key: 'location', zh: '库位', en: 'location' },
  { key: 'item', zh: '物料编码', en: 'item code', width: 16 },
  { key: 'name', zh: '物料名称', en: 'item name', width: 24 },
  { key: 'spec', zh: '规格', en: 'spec', width: 16 },
  { key: 'unit', zh: '单位', en: 'unit' },
  { key: 'batch', zh: '批次号', en: 'batch' },
  { key: 'expiryDate', zh: '到期日', en: 'expiry date' },
  { key: 'onHand', zh: '在库', en: 'on hand' },
  { key: 'reserved', zh: '预占', en: 'reserved' },
  { key: 'available', zh: '可用', en: 'available' },
  { key: 'unitCost', zh: '单位成本', en: 'unit cost', cost: true },
  { key: 'value', zh: '金额', en: 'value', cost: true },
];

export const LEDGER_EXPORT_COLUMNS: readonly ExportColumn[] = [
  { key: 'postedAt', zh: '过账时间', en: 'posted at', width: 20 },
  { key: 'docNo', zh: '单号', en: 'document', width: 22 },
  { key: 'docType', zh: '类型', en: 'type' },
  { key: 'reason', zh: '原因', en: 'reason' },
  { key: 'reference', zh: '参考号', en: 'reference', width: 16 },
  { key: 'warehouse', zh: '仓库编码', en: 'warehouse code' },
  { key: 'location', zh: '库位', en: 'location' },
  { key: 'item', zh: '物料编码', en: 'item code', width: 16 },
  { key: 'name', zh: '物料名称', en: 'item name', width: 24 },
  { key: 'batch', zh: '批次号', en: 'batch' },
  { key: 'qty', zh: '数量', en: 'qty' },
  { key: 'unitCost', zh: '单位成本', en: 'unit cost', cost: true },
  { key: 'value', zh: '金额', en: 'value', cost: true },
];

export const SHEET_NAMES: Record<ExportList, Record<Locale, string>> = {
  items: { 'zh-CN': '物料', en: 'Items' },
  stock: { 'zh-CN': '库存', en: 'Stock' },
  employees: { 'zh-CN': '员工', en: 'Employees' },
  ledger: { 'zh-CN': '库存流水', en: 'Ledger' },
};

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
export const ledgerExportQuerySchema = z.object({
  from: isoDate.optional().describe('First day, in the company time zone'),
  to: isoDate.optional().describe('Last day (inclusive), in the company time zone'),
  warehouse: z.string().trim().min(1).optional(),
  item: z.string().trim().min(1).optional(),
});

const CURSOR = 2000;
/** Spreadsheet cells take numbers; numeric text from PostgreSQL becomes a number (exports are for reading, not re-posting). */
const num = (v: string | null): number | null => (v === null ? null : Number(v));
const TRACKING_WORDS: Record<Locale, Record<string, string>> = { 'zh-CN': { none: '无', batch: '批次', serial: '序列号' }, en: { none: 'none', batch: 'batch', serial: 'serial' } };
const YES_NO: Record<Locale, [string, string]> = { 'zh-CN': ['是', '否'], en: ['yes', 'no'] };

/** Items in code order, in the words the items import reads back. */
export async function* itemExportRows(sql: Sql, companyId: number, locale: Locale): AsyncGenerator<Record<string, Cell>> {
  const query = sql<
    { code: string; name: string; spec: string | null; unit: string; unit_precision: number; barcode: string | null; category: string | null; tracking: string;
      shelf_life_days: number | null; safety_stock: string; reorder_point: string | null; lead_time_days: number | null; moq: string | null;
      pack_size: string | null; supplier: string | null; unit_cost: string; allow_negative: boolean; units: string | null }[]
  >`
    select i.code, i.name, i.spec, i.unit, i.unit_precision, i.barcode, i.category, i.tracking, i.shelf_life_days, i.safety_stock::text,
           i.reorder_point::text, i.lead_time_days, i.moq::text, i.pack_size::text, s.code as supplier, i.unit_cost::text, i.allow_negative,
           (select string_agg(u.unit || '=' || trim_scale(u.factor)::text, ', ' order by u.id) from item_units u where u.item_id = i.id) as units
    from items i left join suppliers s on s.id = i.default_supplier_id
    where i.company_id = ${companyId} and i.active
    order by i.code`;
  for await (const batch of query.cursor(CURSOR)) {
    for (const r of batch) {
      yield {
        code: r.code, name: r.name, spec: r.spec, unit: r.unit, unitPrecision: r.unit_precision, barcode: r.barcode, category: r.category,
        tracking: TRACKING_WORDS[locale][r.tracking] ?? r.tracking, shelfLifeDays: r.shelf_life_days, safetyStock: num(r.safety_stock),
        reorderPoint: num(r.reorder_point), leadTimeDays: r.lead_time_days, moq: num(r.moq), packSize: num(r.pack_size),
        defaultSupplier: r.supplier, unitCost: num(r.unit_cost), allowNegative: YES_NO[locale][r.allow_negative ? 0 : 1], units: r.units,
      };
    }
  }
}

/** Balances per warehouse, location and batch, for the warehouses given (null = all); cost at the item's moving average. */
export async function* stockExportRows(sql: Sql, companyId: number, warehouseIds: readonly number[] | null): AsyncGenerator<Record<string, Cell>> {
  const query = sql<
    { warehouse: string; warehouse_name: string; location: string; item: string; name: string; spec: string | null; unit: string; batch: string | null;
      expiry_date: string | null; on_hand: string; reserved: string; available: string; unit_cost: string; value: string }[]
  >`
    select w.code as warehouse, w.name as warehouse_name, l.code as location, i.code as item, i.name, i.spec, i.unit, bt.batch_no as batch,
           bt.expiry_date::text as expiry_date, b.on_hand::text, b.reserved::text, (b.on_hand - b.reserved)::text as available, c.cost::text as unit_cost, round(b.on_hand * c.cost, 2)::text as value
    from stock_balances b
    join warehouses w on w.id = b.warehouse_id
    join locations l on l.id = b.location_id
    join items i on i.id = b.item_id
    left join batches bt on bt.id = b.batch_id
    left join item_valuations v on v.item_id = i.id
    cross join lateral (select round(case when v.qty > 0 then v.value / v.qty else i.unit_cost end, 6) as cost) c
    where b.company_id = ${companyId} and (b.on_hand <> 0 or b.reserved <> 0)
      ${warehouseIds === null ? sql`` : sql`and b.warehouse_id = any(${sql.array([...warehouseIds])}::bigint[])`}
    order by w.code, l.code, i.code, bt.expiry_date nulls last, bt.batch_no`;
  for await (const batch of query.cursor(CURSOR)) {
    for (const r of batch) {
      yield {
        warehouse: r.warehouse, warehouseName: r.warehouse_name, location: r.location, item: r.item, name: r.name, spec: r.spec, unit: r.unit,
        batch: r.batch, expiryDate: r.expiry_date, onHand: num(r.on_hand), reserved: num(r.reserved),
        available: num(r.available), unitCost: num(r.unit_cost), value: num(r.value),
      };
    }
  }
}

/** Employees in code order, in the words the employees import reads back. */
export async function* employeeExportRows(sql: Sql, companyId: number): AsyncGenerator<Record<string, Cell>> {
  const query = sql<
    { code: string; name: string; department: string | null; manager: string | null; roles: string[]; warehouses: string | null;
      dingtalk_user_id: string | null; feishu_open_id: string | null; feishu_union_id: string | null; wecom_user_id: string | null; wechaty_id: string | null }[]
  >`
    select e.code, e.name, e.department, m.code as manager, e.roles,
           (select string_agg(w.code, ', ' order by w.code) from warehouses w where w.id = any(e.warehouse_scope)) as warehouses,
           e.dingtalk_user_id, e.feishu_open_id, e.feishu_union_id, e.wecom_user_id, e.wechaty_id
    from employees e left join employees m on m.id = e.manager_id
    where e.company_id = ${companyId} and e.active
    order by e.code`;
  for await (const batch of query.cursor(CURSOR)) {
    for (const r of batch) {
      yield {
        code: r.code, name: r.name, department: r.department, manager: r.manager, roles: r.roles.join(', '), warehouses: r.warehouses,
        dingtalkUserId: r.dingtalk_user_id, feishuOpenId: r.feishu_open_id, feishuUnionId: r.feishu_union_id, wecomUserId: r.wecom_user_id, wechatyId: r.wechaty_id,
      };
    }
  }
}

export interface LedgerExportFilter {
  from?: string;
  to?: string;
  warehouseIds: readonly number[] | null;
  itemId?: number;
  timezone: string;
}

/** Ledger rows oldest first, read with a cursor so a long history never sits in memory; times in the company's zone. */
export async function* ledgerExportRows(sql: Sql, companyId: number, f: LedgerExportFilter): AsyncGenerator<Record<string, Cell>> {
  const query = sql<
    { posted_at: string; doc_no: string; doc_type: string; reason: string | null; reference: string | null; warehouse: string; location: string;
      item: string; name: string; batch: string | null; qty: string; unit_cost: string; value: string }[]
  >`
    select to_char(l.posted_at at time zone ${f.timezone}, 'YYYY-MM-DD HH24:MI:SS') as posted_at, d.doc_no, l.doc_type, d.reason, d.reference,
           w.code as warehouse, loc.code as location, i.code as item, i.name, b.batch_no as batch,
           l.qty_delta::text as qty, l.unit_cost::text, l.value_delta::text as value
    from stock_ledger l
    join stock_documents d on d.id = l.document_id
    join items i on i.id = l.item_id
    join warehouses w on w.id = l.warehouse_id
    join locations loc on loc.id = l.location_id
    left join batches b on b.id = l.batch_id
    where l.company_id = ${companyId}
      ${f.warehouseIds === null ? sql`` : sql`and l.warehouse_id = any(${sql.array([...f.warehouseIds])}::bigint[])`}
      ${f.itemId === undefined ? sql`` : sql`and l.item_id = ${f.itemId}`}
      ${f.from === undefined ? sql`` : sql`and l.posted_at >= (${f.from}::date::timestamp at time zone ${f.timezone})`}
      ${f.to === undefined ? sql`` : sql`and l.posted_at < ((${f.to}::date + 1)::timestamp at time zone ${f.timezone})`}
    order by l.id`;
  for await (const batch of query.cursor(CURSOR)) {
    for (const r of batch) {
      yield {
        postedAt: r.posted_at, docNo: r.doc_no, docType: r.doc_type, reason: r.reason, reference: r.reference, warehouse: r.warehouse,
        location: r.location, item: r.item, name: r.name, batch: r.batch, qty: num(r.qty), unitCost: num(r.unit_cost), value: num(r.value),
      };
    }
  }
}
