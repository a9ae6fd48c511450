import type { Micro } from './decimal.ts';

export interface ReplenishInput {
  available: Micro;
  /** Already on the way (in transit to the warehouse). */
  incoming: Micro;
  safetyStock: Micro;
  reorderPoint: Micro | null;
  moq: Micro | null;
  packSize: Micro | null;
}

/**
 * How much to buy when stock runs short: enough to bring available plus
 * incoming back up to the reorder level (the safety stock when no reorder
 * point is set, or when it is lower), at least the minimum order quantity,
 * rounded up to whole packs. Zero when nothing is needed.
 */
export function suggestPurchaseQty(i: ReplenishInput): Micro {
  const level = i.reorderPoint !== null && i.reorderPoint > i.safetyStock ? i.reorderPoint : i.safetyStock;
  let qty = level - i.available - i.incoming;
  if (qty <= 0n) return 0n;
  if (i.moq !== null && qty < i.moq) qty = i.moq;
  if (i.packSize !== null && i.packSize > 0n && qty % i.packSize !== 0n) qty += i.packSize - (qty % i.packSize);
  return qty;
}

export interface DemandStats {
  /** Days in the window (days without outbound count as 0). */
  days: number;
  /** Σ daily outbound and Σ of its squares over the window. */
  sum: number;
  sumSquares: number;
  leadTimeDays: number;
  /** Service level as a z-score: 1.65 ≈ 95 % of lead times without a stock-out. */
  z?: number;
}

/**
 * Dynamic safety stock: z × σ(daily outbound) × √(lead time), from the
 * window's sums (so days without movement cost nothing to store). Rounded up
 * to whole units; null when the window is too short to say anything.
 */
export function suggestSafetyStock(d: DemandStats): number | null {
  if (d.days < 14 || d.leadTimeDays <= 0) return null;
  const mean = d.sum / d.days;
  const variance = Math.max(0, (d.sumSquares - d.days * mean * mean) / (d.days - 1));
  return Math.ceil((d.z ?? 1.65) * Math.sqrt(variance) * Math.sqrt(d.leadTimeDays));
}
