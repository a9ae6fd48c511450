import type { Micro } from './decimal.ts';

/** A balance row that an outbound quantity could be taken from. */
export interface StockSlot {
  balanceId: number;
  warehouseId: number;
  locationId: number;
  batchId: number | null;
  /** ISO date (YYYY-MM-DD) or null for undated stock. */
  expiryDate: string | null;
  /** When the batch (or, without batches, the balance row) first received stock; ISO timestamp. */
  receivedAt: string | null;
  /** on_hand − reserved, in base-unit micro-units. */
  available: Micro;
}

export interface Allocation {
  slot: StockSlot;
  qty: Micro;
}

export interface AllocationOptions {
  /** Today in the company's time zone, YYYY-MM-DD: batches expiring before it are skipped. */
  today: string;
  /** Expired batches are taken only when the caller asks for them. */
  allowExpired?: boolean;
}

const compareNullsLast = (a: string | null, b: string | null): number =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

/**
 * FIFO picking order: earliest expiry first (dated batches), then earliest
 * receipt, then the older balance row. Expired and empty slots are left out.
 */
export function fifoOrder(slots: readonly StockSlot[], opts: AllocationOptions): StockSlot[] {
  return slots
    .filter((s) => s.available > 0n && (opts.allowExpired || s.expiryDate === null || s.expiryDate >= opts.today))
    .sort(
      (a, b) =>
        compareNullsLast(a.expiryDate, b.expiryDate) ||
        compareNullsLast(a.receivedAt, b.receivedAt) ||
        a.balanceId - b.balanceId,
    );
}

/** Sum of what FIFO could take from these slots. */
export function allocatable(slots: readonly StockSlot[], opts: AllocationOptions): Micro {
  return fifoOrder(slots, opts).reduce((sum, s) => sum + s.available, 0n);
}

/**
 * Takes `qty` from the slots in FIFO order. All or nothing: returns null when
 * the slots cannot cover the whole quantity.
 */
export function allocateFifo(slots: readonly StockSlot[], qty: Micro, opts: AllocationOptions): Allocation[] | null {
  const out: Allocation[] = [];
  let remaining = qty;
  for (const slot of fifoOrder(slots, opts)) {
    if (remaining === 0n) break;
    const take = slot.available < remaining ? slot.available : remaining;
    out.push({ slot, qty: take });
    remaining -= take;
  }
  return remaining === 0n ? out : null;
}

/**
 * Serves several requests in arrival order from one pool of slots, each all or
 * nothing; what one request takes is gone for the next. Used to answer a burst
 * of reservations for the same item with one statement.
 */
export function allocateInOrder(
  slots: readonly StockSlot[],
  requests: readonly Micro[],
  opts: AllocationOptions,
): (Allocation[] | null)[] {
  const pool = slots.map((s) => ({ ...s }));
  return requests.map((qty) => {
    const taken = allocateFifo(pool, qty, opts);
    if (taken) for (const a of taken) a.slot.available -= a.qty;
    // Report the caller's view of the slot, not the shrinking pool copy.
    return taken?.map((a) => ({ slot: { ...a.slot, available: a.slot.available + a.qty }, qty: a.qty })) ?? null;
  });
}
