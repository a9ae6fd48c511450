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
