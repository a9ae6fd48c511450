import { SH, SZ, SZN, type WarehouseCode } from './demo-data.ts';

/**
 * The rhythm of the demo company's 90 days: how demand splits between
 * warehouses, when suppliers deliver, which transfers, stocktakes and
 * scrappings happen, how many lines a day's documents carry. History plays
 * it out against the StockBook.
 */

/** How demand splits between the warehouses an item is stocked in. */
export const SHARE: Record<WarehouseCode, number> = { SH: 0.5, SZ: 0.3, SZN: 0.2 };
/** Short items stop being replenished this many days before today (the supplier is late). */
export const SHORT_SINCE = 45;
/** Slow items have had no outbound for this many days. */
export const SLOW_SINCE = 65;
/**
 * Deliveries: every Monday some suppliers deliver. Each supplier comes to SH
 * every other week and to each branch every four weeks, staggered, and tops
 * stock up by `targetDays` of demand above the reorder point.
 */
export const PURCHASE_CYCLE: Record<WarehouseCode, { everyWeeks: number; offset: number; targetDays: number }> = {
  SH: { everyWeeks: 2, offset: 0, targetDays: 21 },
  SZ: { everyWeeks: 4, offset: 1, targetDays: 35 },
  SZN: { everyWeeks: 4, offset: 3, targetDays: 35 },
};
/** The main warehouse tops up the branches every two weeks (goods arrive the same day). */
export const DIRECT_TRANSFERS: readonly { daysAgo: number; to: WarehouseCode }[] = [
  { daysAgo: 76, to: SZ },
  { daysAgo: 62, to: SZN },
  { daysAgo: 48, to: SZ },
  { daysAgo: 34, to: SZN },
  { daysAgo: 20, to: SZ },
  { daysAgo: 9, to: SZN },
];
/** Shipped in the last days and not received yet: the demo's goods in transit. */
export const IN_TRANSIT: readonly { daysAgo: number; to: WarehouseCode }[] = [
  { daysAgo: 2, to: SZN },
  { daysAgo: 1, to: SZ },
];
export const STOCKTAKES: readonly { daysAgo: number; warehouse: WarehouseCode }[] = [
  { daysAgo: 61, warehouse: SH },
  { daysAgo: 31, warehouse: SZ },
  { daysAgo: 3, warehouse: SZN },
];
export const SCRAP_DAYS_AGO = 20;
/**
 * Outbound documents: SH ships sales orders Mon–Sat and issues shop-floor
 * requisitions Mon/Wed/Fri; the branches ship twice a week. Few documents
 * with many lines keep the seed fast (posting costs per document, not per line).
 */
export const SALES_DAYS: Record<WarehouseCode, readonly number[]> = { SH: [1, 2, 3, 4, 5, 6], SZ: [1, 4], SZN: [2, 5] };
export const REQUISITION_DAYS: readonly number[] = [1, 3, 5];
export const LINES: Record<WarehouseCode | 'requisition', readonly [number, number]> = { SH: [8, 16], SZ: [10, 20], SZN: [10, 20], requisition: [5, 10] };
const average = ([min, max]: readonly [number, number]) => (min + max) / 2;
/** Outbound lines per week in each warehouse: how often an item gets picked, so lines can be sized to its demand. */
export const LINES_PER_WEEK: Record<WarehouseCode, number> = {
  SH: SALES_DAYS.SH.length * average(LINES.SH) + REQUISITION_DAYS.length * average(LINES.requisition),
  SZ: SALES_DAYS.SZ.length * average(LINES.SZ),
  SZN: SALES_DAYS.SZN.length * average(LINES.SZN),
};

export const REASON = {
  opening: 'opening',
  purchase: 'purchase',
  sales: 'sales',
  requisition: 'requisition',
  replenishment: 'replenishment',
  stocktake: 'stocktake',
  scrap: 'scrap',
} as const;

/** Reference prefixes: 销售单 SO, 领料单 LL, 采购单 PO, 调拨单 TR, 盘点单 PD, 报废单 BF, 期初 INIT. */
