import { z } from 'zod';
import { parseMicro } from '../decimal.ts';
import type { Locale } from '../errors.ts';
import { movementInputSchema, movementLineSchema } from '../movement-input.ts';
import { optional, splitList } from './cells.ts';
import type { Column } from './columns.ts';
import type { Cells, ParsedRow, RowProblem, RowResult } from './kind.ts';
import { parseWith } from './kind.ts';
import { say, WHAT } from './messages.ts';

const note = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/** The opening-stock sheet: one receipt line per row, with the warehouse it goes to. */
export const OPENING_STOCK_COLUMNS = [
  { key: 'warehouse', zh: '仓库编码', en: 'warehouse code', required: true, example: 'SH', note: note('已有仓库的编码，且在您的仓库范围内', 'Code of an existing warehouse in your scope') },
  { key: 'location', zh: '库位', en: 'location', example: '', note: note('库位编码；留空 = 默认库位', 'Location code; empty = the default location') },
  { key: 'item', zh: '物料编码', en: 'item code', required: true, example: 'M6-20', note: note('已有物料的编码', 'Code of an existing item') },
  { key: 'batch', zh: '批次号', en: 'batch', example: '', note: note('按批次管理的物料必填，其他物料留空', 'Required for batch-tracked items, empty otherwise') },
  { key: 'mfgDate', zh: '生产日期', en: 'mfg date', example: '', note: note('YYYY-MM-DD，可空', 'YYYY-MM-DD, optional') },
  { key: 'expiryDate', zh: '到期日', en: 'expiry date', example: '', note: note('YYYY-MM-DD，可空', 'YYYY-MM-DD, optional') },
  { key: 'qty', zh: '数量', en: 'qty', required: true, example: '1200', note: note('大于 0，小数位不超过物料的小数位数', '> 0, no more decimals than the item allows') },
  { key: 'unit', zh: '单位', en: 'unit', example: '', note: note('留空 = 基本单位；或物料的辅助单位（箱）', 'Empty = the base unit; or one of the item alternate units') },
  { key: 'unitCost', zh: '单位成本', en: 'unit cost', example: '0.35', note: note('每单位成本 ≥ 0；留空 = 物料参考成本', 'Cost per unit ≥ 0; empty = the item reference cost') },
  { key: 'serials', zh: '序列号', en: 'serial numbers', example: '', note: note('按序列号管理的物料：每件一个，逗号分隔，个数 = 数量', 'Serial-tracked items: one per unit, comma-separated, as many as the qty') },
] as const satisfies readonly Column[];

const line = movementLineSchema.pick({ item: true, qty: true, unit: true, batch: true, mfgDate: true, expiryDate: true, location: true, unitCost: true, serials: true });
/** A receipt line of postMovement and the warehouse it goes to: the verb's own schemas. */
export const openingStockRowSchema = line.extend({ warehouse: movementInputSchema.shape.warehouse });
export type OpeningStockRow = z.infer<typeof openingStockRowSchema>;

export function parseOpeningStockRow(cells: Cells, locale: Locale): RowResult<OpeningStockRow> {
  const serials = optional(cells.serials);
  const input = {
    warehouse: optional(cells.warehouse),
    location: optional(cells.location),
    item: optional(cells.item),
    batch: optional(cells.batch),
    mfgDate: optional(cells.mfgDate),
    expiryDate: optional(cells.expiryDate),
    qty: optional(cells.qty),
    unit: optional(cells.unit),
    unitCost: optional(cells.unitCost),
    serials: serials === undefined ? undefined : splitList(serials),
  };
  return parseWith(openingStockRowSchema, input, locale, (field) => field);
}

export interface StockItemFacts {
  unit: string;
  unitPrecision: number;
  tracking: 'none' | 'batch' | 'serial';
  units: ReadonlySet<string>;
}

export interface OpeningStockFacts {
  warehouses: ReadonlyMap<string, { id: number; locations: ReadonlySet<string> }>;
  items: ReadonlyMap<string, StockItemFacts>;
  /** "item|batch" → expiry date ('' when none) of batches that exist. */
  batches: ReadonlyMap<string, string>;
  /** "item|serial" of units already in stock. */
  serialsInStock: ReadonlySet<string>;
  /** The importer's warehouse scope (ids); null = every warehouse. */
  scope: readonly number[] | null;
}

const decimalPlaces = (text: string) => (text.split('.')[1] ?? '').replace(/0+$/, '').length;

/** The rules postMovement applies to a receipt line, checked row by row before anything is written. */
export function checkOpeningStock(rows: readonly ParsedRow<OpeningStockRow>[], facts: OpeningStockFacts, locale: Locale): RowProblem[] {
  const problems: RowProblem[] = [];
  const serialsSeen = new Set<string>();
  for (const { row, value: v } of rows) {
    const add = (key: string, message: string) => problems.push({ row, key, message });
    const wh = facts.warehouses.get(v.warehouse);
    if (!wh) add('warehouse', say(locale, 'unknown', { ...WHAT.warehouse, value: v.warehouse }));
    else if (facts.scope !== null && !facts.scope.includes(wh.id)) add('warehouse', say(locale, 'outOfScope', { value: v.warehouse }));
    else if (v.location !== undefined && !wh.locations.has(v.location)) add('location', say(locale, 'unknown', { ...WHAT.location, value: v.location }));

    const qtyText = String(v.qty).trim();
    const qty = parseMicro(qtyText);
    if (qty === null) add('qty', say(locale, 'notDecimal'));
    else if (qty <= 0n) add('qty', say(locale, 'positive'));
    if (v.unitCost !== undefined) {
      const cost = parseMicro(String(v.unitCost).trim());
      if (cost === null || cost < 0n) add('unitCost', say(locale, 'notDecimal'));
    }

    const item = facts.items.get(v.item);
    if (!item) {
      add('item', say(locale, 'unknown', { ...WHAT.item, value: v.item }));
      continue;
    }
    const base = v.unit === undefined || v.unit === item.unit;
    if (!base && !item.units.has(v.unit ?? '')) add('unit', say(locale, 'unitNotDefined', { item: v.item, value: v.unit ?? '', allowed: [item.unit, ...item.units].join(', ') }));
    else if (base && qty !== null && decimalPlaces(qtyText) > item.unitPrecision) add('qty', say(locale, 'decimals', { item: v.item, places: item.unitPrecision }));

    if (item.tracking === 'batch') {
      if (v.batch === undefined) add('batch', say(locale, 'batchRequired', { item: v.item }));
      else {
        const expiry = facts.batches.get(`${v.item}|${v.batch}`);
        if (expiry !== undefined && v.expiryDate !== undefined && expiry !== v.expiryDate) add('expiryDate', say(locale, 'batchDates', { value: v.batch, expiry: expiry || '-' }));
      }
    } else if (v.batch !== undefined) add('batch', say(locale, 'batchNotTracked', { item: v.item }));

    if (item.tracking === 'serial') {
      const serials = v.serials ?? [];
      if (qty === null || BigInt(serials.length) * 1_000_000n !== qty) add('serials', say(locale, 'serialsRequired', { item: v.item }));
      for (const s of serials) {
        const key = `${v.item}|${s}`;
        if (serialsSeen.has(key) || facts.serialsInStock.has(key)) add('serials', say(locale, 'serialTaken', { value: s }));
        serialsSeen.add(key);
      }
    } else if (v.serials !== undefined) add('serials', say(locale, 'serialsNotTracked', { item: v.item }));
  }
  return problems;
}
