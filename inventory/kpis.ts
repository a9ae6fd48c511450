/**
 * The inventory KPIs as users know them (ARCHITECTURE, "KPIs"), as pure
 * functions over figures the roll-up already holds. Money totals stay exact
 * in SQL; here only ratios and shares are computed, so plain numbers (yuan)
 * are precise enough. A KPI that is undefined for its input (turnover with
 * no stock, days of supply with no outbound) is null, never 0 or Infinity:
 * "no figure" reads differently from "zero" to a manager.
 */

/** Average inventory cost: (opening value + closing value) / 2. */
export const averageInventory = (openingValue: number, closingValue: number): number => (openingValue + closingValue) / 2;

/** Inventory turnover (ITO): cost of goods issued in the period / average inventory value. */
export function inventoryTurnover(cogs: number, openingValue: number, closingValue: number): number | null {
  const average = averageInventory(openingValue, closingValue);
  return average > 0 ? cogs / average : null;
}

/** Stock-to-sales ratio (SSR): ending inventory value / sales (outbound value) of the period. */
export const stockToSales = (endingValue: number, sales: number): number | null => (sales > 0 ? endingValue / sales : null);

/** Stockout rate: order lines that could not be fully reserved / all order lines. */
export const stockoutRate = (shortLines: number, allLines: number): number | null => (allLines > 0 ? shortLines / allLines : null);

/** Days of supply: available / average daily outbound over the trailing window. */
export function daysOfSupply(available: number, outboundInWindow: number, windowDays: number): number | null {
  if (outboundInWindow <= 0 || windowDays <= 0) return null;
  return available / (outboundInWindow / windowDays);
}

export interface Position {
  value: number;
  /** Last day anything left this position; null if nothing ever did. */
  lastOutboundOn: string | null;
  /** First day it held stock (since it was last empty). */
  stockedSince: string | null;
}

/** Days from `from` to `to` (ISO dates), whole days. */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * 呆滞: stock with no outbound for `staleDays`. Stock that never went out
 * counts from the day it arrived — a receipt yesterday is not dead stock.
 */
export function isDead(p: Position, asOf: string, staleDays: number): boolean {
  if (p.value <= 0) return false;
  const since = p.lastOutboundOn ?? p.stockedSince;
  return since === null || daysBetween(since, asOf) > staleDays;
}

/** Dead-stock ratio: value of stock with no outbound for N days / total value. */
export function deadStockRatio(positions: readonly Position[], asOf: string, staleDays: number): number | null {
  let total = 0;
  let dead = 0;
  for (const p of positions) {
    if (p.value <= 0) continue;
    total += p.value;
    if (isDead(p, asOf, staleDays)) dead += p.value;
  }
  return total > 0 ? dead / total : null;
}

export const AGE_BUCKETS = ['0-30', '31-90', '91-180', '>180'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

const bucketOf = (age: number): AgeBucket => (age <= 30 ? '0-30' : age <= 90 ? '31-90' : age <= 180 ? '91-180' : '>180');

export interface Receipt {
  day: string;
  qty: number;
}

/**
 * Stock age by FIFO layers: what is on hand is what arrived last (the oldest
 * went out first), so walk the receipts from the newest back until the
 * quantity on hand is covered; anything left over is older than every
 * receipt known and falls in the oldest bucket. Value is shared out by
 * quantity at the position's average cost.
 */
export function ageBuckets(onHand: number, value: number, receipts: readonly Receipt[], asOf: string): Record<AgeBucket, number> {
  const out: Record<AgeBucket, number> = { '0-30': 0, '31-90': 0, '91-180': 0, '>180': 0 };
  if (onHand <= 0) return out;
  const unitValue = value / onHand;
  let left = onHand;
  for (const r of [...receipts].sort((a, b) => b.day.localeCompare(a.day))) {
    if (left <= 0) break;
    const take = Math.min(left, r.qty);
    out[bucketOf(daysBetween(r.day, asOf))] += take * unitValue;
    left -= take;
  }
  if (left > 0) out['>180'] += left * unitValue;
  return out;
}

export type AbcClass = 'A' | 'B' | 'C';

/**
 * ABC by share of outbound value: the items making up the first 80 % of
 * outbound value are A, the next 15 % B, the rest (and items that never went
 * out) C. An item belongs to the class where its share starts, so the item
 * that crosses 80 % is still A.
 */
export function abcClasses<K>(items: readonly { key: K; outboundValue: number }[]): Map<K, AbcClass> {
  const total = items.reduce((s, i) => s + Math.max(0, i.outboundValue), 0);
  const out = new Map<K, AbcClass>();
  let before = 0;
  for (const i of [...items].sort((a, b) => b.outboundValue - a.outboundValue)) {
    if (total <= 0 || i.outboundValue <= 0) {
      out.set(i.key, 'C');
      continue;
    }
    const share = before / total;
    out.set(i.key, share < 0.8 ? 'A' : share < 0.95 ? 'B' : 'C');
    before += i.outboundValue;
  }
  return out;
}
