import type { Micro } from '../../inventory/decimal.ts';

/** Stock the demo has put somewhere, per (item, warehouse, location, batch). */
export interface Lot {
  item: string;
  warehouse: string;
  location: string;
  batch: string | null;
  expiry: string | null;
  /** When it first arrived, in posting order: FIFO's tie-break after expiry. */
  arrival: number;
  qty: Micro;
}

export interface Pick {
  batch: string | null;
  expiry: string | null;
  qty: Micro;
}

const placeKey = (item: string, warehouse: string) => `${item}\u0000${warehouse}`;
const key = (item: string, warehouse: string, location: string, batch: string | null) =>
  `${item}\u0000${warehouse}\u0000${location}\u0000${batch ?? ''}`;

/**
 * The seed's own running totals. The seed plans every outbound line against
 * this book and names the location and batch it takes, so the database is
 * never asked for more than it holds and the result does not depend on the
 * real date (the posting verbs judge expiry by today, the demo by its own day).
 */
export class StockBook {
  private readonly lots = new Map<string, Lot>();
  /** The same lots per (item, warehouse): what every look-up starts from. */
  private readonly byPlace = new Map<string, Lot[]>();
  private arrivals = 0;

  add(lot: Omit<Lot, 'arrival'>): void {
    if (lot.qty <= 0n) throw new Error(`stock book: adding ${lot.qty} of ${lot.item}`);
    const k = key(lot.item, lot.warehouse, lot.location, lot.batch);
    const existing = this.lots.get(k);
    if (existing) {
      existing.qty += lot.qty;
      return;
    }
    const created = { ...lot, arrival: ++this.arrivals };
    this.lots.set(k, created);
    const place = placeKey(lot.item, lot.warehouse);
    this.byPlace.set(place, [...(this.byPlace.get(place) ?? []), created]);
  }

  /** Lots that may be picked on `day`: in stock and not expired, earliest expiry first, then earliest arrival. */
  usable(item: string, warehouse: string, location: string, day: string): Lot[] {
    return this.at(item, warehouse)
      .filter((l) => l.location === location && l.qty > 0n)
      .filter((l) => l.expiry === null || l.expiry >= day)
      .sort((a, b) => compareExpiry(a.expiry, b.expiry) || a.arrival - b.arrival);
  }

  available(item: string, warehouse: string, location: string, day: string): Micro {
    return this.usable(item, warehouse, location, day).reduce((s, l) => s + l.qty, 0n);
  }

  /** Takes up to `qty` in FIFO order; the picks may add up to less when stock runs out. */
  take(item: string, warehouse: string, location: string, qty: Micro, day: string): Pick[] {
    const picks: Pick[] = [];
    let remaining = qty;
    for (const lot of this.usable(item, warehouse, location, day)) {
      if (remaining === 0n) break;
      const q = lot.qty < remaining ? lot.qty : remaining;
      lot.qty -= q;
      remaining -= q;
      picks.push({ batch: lot.batch, expiry: lot.expiry, qty: q });
    }
    return picks;
  }

  /** Removes exactly this much from one lot (scrap, stocktake loss). */
  remove(item: string, warehouse: string, location: string, batch: string | null, qty: Micro): void {
    const lot = this.lots.get(key(item, warehouse, location, batch));
    if (!lot || lot.qty < qty) throw new Error(`stock book: cannot remove ${qty} of ${item} ${batch ?? ''} from ${warehouse}/${location}`);
    lot.qty -= qty;
  }

  /** Every lot of an item with stock, expired or not. */
  lotsOf(item: string, warehouse: string): Lot[] {
    return this.at(item, warehouse).filter((l) => l.qty > 0n);
  }

  private at(item: string, warehouse: string): Lot[] {
    return this.byPlace.get(placeKey(item, warehouse)) ?? [];
  }
}

function compareExpiry(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
